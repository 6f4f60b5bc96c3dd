package i18n

// Sentences of the rendering comparison (backend/verify/rendering.go).

func init() {
	for k, v := range renderCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var renderCatalog = map[string]text{
	"verify.change.rendering_differs":     {"署名後に見た目が変わったページがあります（許された変更の場所以外）", "a page looks different from what was signed (outside the allowed changes)"},
	"verify.change.rendering_unavailable": {"ページを描いて署名時と比べることができませんでした", "the pages could not be drawn and compared with what was signed"},
	"verify.note.rendering_differs":       {"%s ページ目の表示が、署名された版と異なります。", "Page %s now shows something other than what was signed."},
	"verify.note.rendering_unavailable":   {"署名された版と今の表示が同じか確かめられませんでした。", "Whether the document still shows what was signed could not be confirmed."},
	"verify.note.rendering_same":          {"全 %d ページを描いて比べ、署名された版と同じ表示であることを確かめました。", "All %d pages were drawn and compared: they show what was signed."},
	"verify.change.covers_signed_content": {"署名のあとで入力・追加されたものが、署名されたページの文字や画像に重なっています", "something filled in or added after signing lies over the signed page's text or images"},
	"verify.why.look_under":               {"許された変更ですが、その下にあった内容は「署名された内容を表示」で確かめてください", "it is allowed, but check what lies under it with \"show what was signed\""},
	"verify.note.covers_signed":           {"署名のあとで入力・追加された欄などが、署名されたページの文字や画像に重なっています。下に隠れた内容は署名された版で確かめてください。", "Something filled in or added after signing lies over the signed page's text or images: check what it hides in the signed version."},
	"verify.label.rendering":              {"表示の比較", "Rendering comparison"},
	"verify.rendering.same":               {"%[1]d ページとも署名時と同じ表示です（許された変更の場所 %[3]d か所を除く）", "%d pages as signed (%d dpi; areas of allowed changes left out: %d)"},
	"verify.rendering.different":          {"%s ページ目が署名時と異なります", "page %s differs from what was signed"},
	"api.compare_failed":                  {"ページを描けませんでした。", "The page could not be drawn."},
	"verify.rendering.unavailable":        {"比較できませんでした", "could not be compared"},
}
