package web

import "github.com/shomei-app/shomei/app/api"

// extraCalls lists the methods of the verification, history and trust
// screens.
func extraCalls(s *api.Service) map[string]call {
	return map[string]call{
		"Verify":          with(s.Verify),
		"ExtractRevision": with(s.ExtractRevision),
		"ComparePage":     with(s.ComparePage),
		"History":         with(s.History),
		"ExportHistory":   with(s.ExportHistory),
		"Anchors":         noneErr(s.Anchors),
		"AddAnchor":       with(s.AddAnchor),
		"RemoveAnchor":    with(s.RemoveAnchor),
		"AddCardRoots":    with(s.AddCardRoots),
	}
}
