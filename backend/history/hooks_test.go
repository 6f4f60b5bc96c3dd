package history

// ForceInPlaceScrub makes compact take the Windows path (free pages zeroed
// in place, no rename over the open file) until the returned function runs.
func ForceInPlaceScrub() (restore func()) {
	old := renameOverOpen
	renameOverOpen = false
	return func() { renameOverOpen = old }
}
