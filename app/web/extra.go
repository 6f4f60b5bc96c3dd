package web

import "github.com/shomei-app/shomei/app/api"

// extraCalls lists the methods of the verification, history and trust
// screens (added as their backends land).
func extraCalls(s *api.Service) map[string]call { return map[string]call{} }
