package api

// historyEntry is one operation for the local history.
type historyEntry struct {
	Op     string // sign | verify | pin_change
	PIN    string
	File   string
	Output string
	Format string
	SHA256 string
	Err    error
}

// record appends an operation to the history. The history store (package
// backend/history) is wired here once it lands; until then nothing is kept.
func (s *Service) record(e historyEntry) {}

func features() []string { return []string{} }
