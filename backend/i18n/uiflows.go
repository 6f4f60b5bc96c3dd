package i18n

// Sentences of the UI's citizen and counter screens (app/api) that the
// command line does not say. They join the catalog at start-up.

func init() {
	for k, v := range uiFlowCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var uiFlowCatalog = map[string]text{
	"history.mode.counter": {"（窓口）", "(counter)"},
	"api.consent.changed":  {"表示した後に文書が変わりました。もう一度読み込んで確認してください。署名はしていません。", "The document changed after it was shown: load it again and read it. Nothing was signed."},
}
