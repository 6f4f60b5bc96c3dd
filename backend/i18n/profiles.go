package i18n

// Sentences of the receiving systems' formats: 登記・供託オンライン申請 (the
// touki PDF profile), e-Gov 電子申請 (kousei.xml) and digests handed over
// by a portal.

func init() {
	for k, v := range profileCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var profileCatalog = map[string]text{
	// The 登記 conformance line of a PDF.
	"touki.met":                   {"登記申請の要件: 満たす", "Requirements for 登記 filing: met"},
	"touki.unmet":                 {"登記申請の要件: 満たさない（%s）", "Requirements for 登記 filing: not met (%s)"},
	"touki.reason.no_signature":   {"署名がありません", "no signature"},
	"touki.reason.subfilter":      {"法務省が受け付ける署名形式ではありません", "not the signature format the Ministry of Justice accepts"},
	"touki.reason.doc_timestamp":  {"文書タイムスタンプが付いています", "a document timestamp was added"},
	"touki.reason.no_name":        {"署名者名の記載がありません", "the signer's name is missing"},
	"touki.reason.name_mismatch":  {"記載の署名者名が証明書の氏名と一致しません", "the stated signer's name differs from the certificate's"},
	"touki.reason.no_time":        {"署名日時の記載がありません", "the signing time is missing"},
	"touki.reason.not_intact":     {"署名が検証できません", "a signature does not verify"},
	"touki.reason.digest":         {"ハッシュ関数が SHA-256 ではありません", "the hash function is not SHA-256"},
	"touki.reason.algorithm":      {"署名方式が RSA ではありません", "the signature algorithm is not RSA"},
	"touki.reason.appended":       {"最後の署名の後に追加があります", "something was added after the last signature"},
	"touki.reason.changed_before": {"署名の後に署名以外の変更があります", "a change other than a further signature was made after a signature"},
	"touki.reason.unreadable":     {"PDF として読めません", "the PDF cannot be read"},

	// Refusals of the 登記 profile, before the card.
	"file.touki_timestamp":         {"登記申請用の署名にはタイムスタンプを付けられません（法務省の形式にないため）。タイムスタンプの指定を外してください。", "A signature for 登記 filing cannot carry a timestamp (the Ministry's format has none). Leave the timestamp out."},
	"file.touki_certify":           {"登記申請用の PDF は「変更不可」で証明できません（後から連署できなくなるため）。", "A PDF for 登記 filing cannot be certified with no changes allowed (no one could countersign it)."},
	"file.touki_not_pdf":           {"登記申請用の署名は PDF にだけ付けられます。", "Only PDFs can be signed for 登記 filing."},
	"file.touki_earlier_signature": {"この PDF には登記申請の要件を満たさない署名が既にあります。連署しても受け付けられません。", "This PDF already has a signature that does not meet the 登記 requirements: countersigning it would not be accepted."},

	// e-Gov packages.
	"egov.summary":       {"e-Gov 電子申請の署名: %s", "e-Gov application signature: %s"},
	"egov.files":         {"署名するファイル（%d 件）:", "Files to be signed (%d):"},
	"egov.fields":        {"申請の主な内容:", "Main contents of the application:"},
	"egov.extra":         {"構成情報に記載がないため署名も同梱もしないファイル: %s", "Files not named in the application, neither signed nor included: %s"},
	"egov.ui.signed":     {"%d 件のファイルとともに申請に署名しました: %s", "The application and its %d files are signed: %s"},
	"egov.done":          {"署名済みの申請フォルダ: %s\n提出用の ZIP: %s", "Signed application folder: %s\nZIP for submission: %s"},
	"egov.err.no_kousei": {"フォルダに kousei.xml（構成管理ファイル）がありません。", "The folder has no kousei.xml (the application's manifest)."},
	"egov.err.file_name": {"kousei.xml が申請フォルダの外のファイルや使えない名前を指しています。", "kousei.xml names a file outside the application folder, or a name that cannot be used."},
	"egov.err.missing":   {"kousei.xml に記載されたファイルがフォルダにありません。", "A file named in kousei.xml is not in the folder."},
	"egov.err.no_files":  {"kousei.xml に申請書のファイルが記載されていません。", "kousei.xml names no application file."},
	"egov.err.signed":    {"この kousei.xml は既に署名されています。", "This kousei.xml is signed already."},
	"egov.err.changed":   {"署名中にファイルが変更されました。何も書き込んでいません。もう一度やり直してください。", "A file changed while it was being signed. Nothing was written; start again."},
	"egov.err.exists":    {"出力先が既にあります。別の場所を指定するか、上書きを指定してください。", "The output exists already. Choose another place, or ask to replace it."},
	"egov.err.in_place":  {"署名済みの申請は元のフォルダとは別の場所に書き出します。別の出力先を指定してください。", "The signed application goes to a place other than the original folder. Choose another output."},
	"egov.err.zip":       {"この ZIP は申請フォルダー 1 つ分のファイルではありません（フォルダーの入れ子、リンク、大きすぎるファイルは扱いません）。", "This ZIP is not one application folder of plain files (nested folders, links and oversized files are refused)."},
	"egov.err.xml":       {"kousei.xml を XML として読めません（壊れているか、構成情報がありません）。", "kousei.xml cannot be read as XML (broken, or no 構成情報)."},
	"egov.err.dtd":       {"kousei.xml に DTD（文書型宣言）があるため読みません。", "kousei.xml has a DTD (document type declaration) and is not read."},
	"egov.err.too_large": {"kousei.xml が大きすぎるか、入れ子が深すぎます。", "kousei.xml is too large or too deeply nested."},
	"egov.err.profile":   {"kousei.xml に正確に正規化できない書き方（改行を含む属性値、名前空間付きの属性）があるため、署名も確認もできません。", "kousei.xml uses a form that cannot be canonicalized exactly (attribute values with line breaks, namespaced attributes): it can be neither signed nor confirmed."},

	// Digests handed over by a portal.
	"digest.auth_notice":   {"利用者証明用の鍵で署名します。これはログイン（本人であること）の証明であり、文書への同意ではありません。暗証番号は数字 4 桁です。", "This signs with the authentication key: it proves a login (that it is you), not consent to a document. The PIN is 4 digits."},
	"digest.sign_notice":   {"署名用の鍵で、渡されたハッシュ値 %d 件に署名します。内容はこのプログラムからは見えません。依頼したサービスを信頼できる場合にだけ続けてください。", "This signs %d digests handed over with the signing key. Their content cannot be seen from here: go on only if you trust the service that asked."},
	"digest.err.hex":       {"ハッシュ値が 16 進数ではありません。", "A digest is not hexadecimal."},
	"digest.err.length":    {"ハッシュ値が SHA-256（64 桁）でも SHA-256 の DigestInfo でもありません。", "A digest is neither SHA-256 (64 hex digits) nor a SHA-256 DigestInfo."},
	"digest.err.none":      {"ハッシュ値が指定されていません。", "No digest was given."},
	"digest.err.too_many":  {"ハッシュ値が多すぎます（1 回に 1000 件まで）。", "Too many digests (at most 1000 at a time)."},
	"digest.err.file_size": {"ハッシュ値のファイルが大きすぎます。", "The digest file is too large."},
	"digest.done":          {"%d 件に署名しました。", "Signed %d digests."},
}
