package i18n

// Sentences of trust-anchor management (shomei trust …, issue 5). They join
// the catalog at start-up; a key that is already there is a programming
// error.

func init() {
	for k, v := range trustCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var trustCatalog = map[string]text{
	"trust.purpose.sign": {"署名用", "signing"},
	"trust.purpose.auth": {"利用者証明用", "user authentication"},

	"trust.list.jlis":     {"J-LIS のルート証明書（SHA-256 の指紋で固定）", "J-LIS root certificates (pinned by SHA-256 fingerprint)"},
	"trust.list.user":     {"利用者が追加した信頼の起点（J-LIS ではありません）", "Trust anchors added by the user (not J-LIS)"},
	"trust.list.none":     {"  （なし）", "  (none)"},
	"trust.list.until":    {"%s まで", "until %s"},
	"trust.list.root":     {"%s、%s まで", "%s, until %s"},
	"trust.list.present":  {"取り込み済み", "imported"},
	"trust.list.builtin":  {"Shomei に同梱（取り込み不要）", "shipped with Shomei (no import needed)"},
	"trust.list.absent":   {"未取り込み", "not imported"},
	"trust.list.expired":  {"期限切れ（期限内に行われた署名の検証に使います）", "expired (still used for signatures made while it was valid)"},
	"trust.list.unpinned": {"指紋が未確認のため、この証明書は受け付けません", "fingerprint not confirmed: this root is never accepted"},
	"trust.list.hint":     {"取り込むには: shomei trust from-card / shomei trust import FILE / shomei trust fetch", "To import: shomei trust from-card / shomei trust import FILE / shomei trust fetch"},

	"trust.file.unreadable": {"証明書ファイルを読めませんでした（PEM または DER 形式の X.509 証明書が必要です）: %s", "The certificate file could not be read (an X.509 certificate in PEM or DER is needed): %s"},
	"trust.store.corrupt":   {"信頼の起点の保存ファイルが壊れているか、Shomei の外で変更されています。内容を確認するか、ファイルを削除して登録し直してください: %s", "The trust anchor file is damaged or was changed outside Shomei. Check it, or delete it and add the anchors again: %s"},
	"trust.store.failed":    {"信頼の起点を保存できませんでした（空き容量や書き込み権限を確認してください）。何も変更していません。", "The trust anchors could not be saved (check free space and permissions). Nothing was changed."},

	"trust.import.ok":      {"J-LIS のルート証明書 %s（%s）を取り込みました。", "Imported the J-LIS root %s (%s)."},
	"trust.import.refused": {"取り込みませんでした: この証明書の指紋（SHA-256: %s）は、登録されている J-LIS ルート証明書のどれとも一致しません。J-LIS 以外の証明書を自分の判断で信頼する場合は、shomei trust add FILE --label 名前 で追加できます。", "Not imported: this certificate's fingerprint (SHA-256: %s) matches none of the pinned J-LIS roots. To trust a certificate that is not J-LIS's on your own decision, use shomei trust add FILE --label NAME."},

	"trust.add.label":   {"--label で名前を付けてください（検証結果にその名前で表示されます）。", "Give the anchor a name with --label (reports show it under that name)."},
	"trust.add.ok":      {"信頼の起点「%s」を追加しました（SHA-256: %s）。", "Added the trust anchor \"%s\" (SHA-256: %s)."},
	"trust.add.warn":    {"注意: これは J-LIS のルート証明書ではありません。この証明書のもとで発行された署名を信頼するのは、あなた自身の判断です。検証結果には、利用者が追加した信頼の起点として表示されます。", "Note: this is not a J-LIS root. Trusting signatures issued under it is your own decision; reports show it as an anchor you added."},
	"trust.add.test":    {"この証明書はテスト用です。これで検証できる署名は本番のものではなく、検証結果には TEST と表示されます。", "This is a test certificate: signatures it validates are not real ones, and reports mark them TEST."},
	"trust.add.is_jlis": {"この証明書は J-LIS のルート証明書 %s です。J-LIS のルート証明書として取り込みました。", "This certificate is the J-LIS root %s: it was imported as that J-LIS root."},

	"trust.remove.ok":       {"信頼の起点を削除しました: %s", "Removed the trust anchor: %s"},
	"trust.remove.notfound": {"この指紋の信頼の起点はありません。shomei trust list で確認してください。", "No trust anchor has this fingerprint. See shomei trust list."},
	"trust.remove.badhex":   {"指紋は SHA-256 の 16 進数 64 桁で指定してください（shomei trust list に表示されます）。", "Give the fingerprint as the 64 hexadecimal digits of its SHA-256 (shomei trust list shows them)."},

	"trust.fetch.start":           {"J-LIS が公開しているルート証明書を取得します（指紋が一致するものだけを取り込みます）。", "Fetching the root certificates J-LIS publishes (only those matching a pinned fingerprint are kept)."},
	"trust.fetch.ok":              {"取り込みました: %s（%s）", "imported: %s (%s)"},
	"trust.fetch.failed":          {"取り込めませんでした: %s: %s", "not imported: %s: %s"},
	"trust.fetch.network":         {"接続できませんでした", "could not connect"},
	"trust.fetch.http_status":     {"サーバーがファイルを返しませんでした", "the server did not return the file"},
	"trust.fetch.too_large":       {"証明書としては大きすぎます", "too large for a certificate"},
	"trust.fetch.not_certificate": {"証明書ではありません", "not a certificate"},
	"trust.fetch.not_pinned":      {"指紋が J-LIS のルート証明書と一致しないため拒否しました", "refused: the fingerprint matches no pinned J-LIS root"},
	"trust.fetch.summary":         {"%d 件中 %d 件を取り込みました。", "Imported %[2]d of %[1]d."},

	"trust.card.sign":    {"署名用の CA 証明書（EF 0002）", "signing CA certificate (EF 0002)"},
	"trust.card.auth":    {"利用者証明用の CA 証明書（EF 000B）", "authentication CA certificate (EF 000B)"},
	"trust.card.ok":      {"%s: J-LIS のルート証明書 %s を取り込みました。", "%s: imported the J-LIS root %s."},
	"trust.card.absent":  {"%s: カードにありません。", "%s: not on the card."},
	"trust.card.unknown": {"%s: 指紋（SHA-256: %s）が J-LIS のルート証明書と一致しないため、取り込みませんでした。", "%s: not imported: its fingerprint (SHA-256: %s) matches no pinned J-LIS root."},
	"trust.card.test":    {"%s: テスト用のルート証明書です。J-LIS のルート証明書としては受け付けません。", "%s: a test root. It is not accepted as a J-LIS root."},
	"trust.card.testhint": {"仮想カードの署名を検証したい場合は、自分の判断で利用者の信頼の起点として追加できます: shomei vcard export-root --out test-root.pem のあと shomei trust add test-root.pem --label 仮想カード",
		"To verify the virtual card's signatures, you can add its root as your own anchor: shomei vcard export-root --out test-root.pem, then shomei trust add test-root.pem --label \"virtual card\""},
}
