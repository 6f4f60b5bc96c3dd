package i18n

// Sentences of the citizen and counter workflows (issue 8): the PIN
// recovery advisor, counter mode, consent signing, certificate life and
// e-application signing. They join the catalog at start-up; a key that is
// already there is a programming error.

func init() {
	for k, v := range workflowCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var workflowCatalog = map[string]text{
	// Certificate life (seed 001, 第6条 and 第8条).
	"certlife.cert.sign":               {"署名用電子証明書", "The signing certificate"},
	"certlife.cert.auth":               {"利用者証明用電子証明書", "The user-authentication certificate"},
	"certlife.valid":                   {"%s の有効期限は %s です（残り %d 日）。", "%s is valid until %s (%d days left)."},
	"certlife.warn":                    {"%s の有効期限まで残り %d 日です（%s まで）。", "%s expires in %d days (on %s)."},
	"certlife.expired":                 {"%s は %s に有効期限が切れました。市区町村の窓口で新しい証明書の発行を受けてください。", "%s expired on %s. A new one is issued at the municipal counter."},
	"certlife.renew.open":              {"更新の手続きができる期間に入っています（%s から、市区町村の窓口で）。", "It can be renewed now (since %s, at the municipal counter)."},
	"certlife.renew.later":             {"更新は %s から市区町村の窓口でできます（有効期限の 3 か月前の翌日から）。", "Renewal opens on %s at the municipal counter (the day after the date three months before expiry)."},
	"certlife.note.move_ends_sign":     {"引越しや結婚などで住所や氏名が変わると、署名用電子証明書はその時点で失効します。", "A move, or a change of name such as at marriage, ends the signing certificate at once."},
	"certlife.note.auth_survives_move": {"利用者証明用電子証明書は引越しや結婚では失効しません。", "The user-authentication certificate survives a move or a marriage."},
	"certlife.sign.unread":             {"署名用電子証明書の有効期限は、署名用パスワードを入力して署名するときに確認できます（パスワードなしでは読めません）。", "The signing certificate's expiry can only be read once the signing password is entered, when signing."},
	// PIN recovery advisor (seed 000: the JPKI PIN-reset service; seed 001, 第10条).
	"advisor.route.none":       {"再設定が必要な暗証番号はありません。", "No PIN needs a reset."},
	"advisor.route.app_kiosk":  {"スマートフォンの「JPKI暗証番号リセットアプリ」で予約し、コンビニ等のキオスク端末で再設定できます。", "Book the reset in the JPKI PIN-reset app on a smartphone, then finish it at a convenience-store kiosk."},
	"advisor.route.counter":    {"市区町村の窓口で再設定してください（アプリとキオスク端末では再設定できません）。", "The reset has to be done at the municipal counter (the app and the kiosks cannot do it)."},
	"advisor.route.smartphone": {"スマートフォンの電子証明書の暗証番号は、そのスマートフォン自体で初期化します。", "A smartphone certificate's PINs are reset on that smartphone itself."},
	"advisor.route.unknown":    {"この暗証番号の再設定方法は、Shomei が根拠とする資料には書かれていません。お住まいの市区町村に確認してください。", "The documents Shomei relies on do not say how this PIN is reset. Ask your municipality."},
	"advisor.short.app_kiosk":  {"アプリで予約してキオスク端末で再設定", "book in the app, reset at a kiosk"},
	"advisor.short.counter":    {"市区町村の窓口で再設定", "reset at the municipal counter"},
	"advisor.short.smartphone": {"スマートフォンで初期化", "reset on the smartphone"},
	"advisor.short.unknown":    {"方法は資料に記載なし（市区町村に確認）", "route not documented (ask the municipality)"},
	"advisor.pin":              {"%s（%s）: %s", "%s (%s): %s"},
	"advisor.need.locked":      {"ロック中", "locked"},
	"advisor.need.forgotten":   {"忘れた", "forgotten"},
	"advisor.kiosks":           {"再設定できるキオスク端末: %s", "Kiosks that can do it: %s"},
	"advisor.bring":            {"用意するもの:", "What to have with you:"},

	"advisor.reason.app_mynumber_card_only": {"アプリはマイナンバーカードにだけ対応しています。", "The app works with My Number Cards only."},
	"advisor.reason.birth_date_blank":       {"券面の生年月日が空欄または不詳のカードでは、アプリを使えません。", "The app cannot be used with a card whose printed birth date is blank or unknown."},
	"advisor.reason.no_nfc_phone":           {"アプリには NFC 対応のスマートフォンが必要です（タブレットは不可）。", "The app needs a smartphone with NFC (tablets are not supported)."},
	"advisor.reason.no_camera":              {"署名用パスワードの予約では顔認証をするため、スマートフォンのカメラが必要です。", "Booking a signing-password reset includes a face check, which needs the phone's camera."},
	"advisor.reason.face_check":             {"顔認証はカードの顔写真と照合するため、写真が不鮮明だと通りません。", "The face check compares you with the photo on the card; an unclear photo makes it fail."},
	"advisor.reason.needs_auth_pin":         {"アプリで署名用パスワードを再設定するには、利用者証明用の暗証番号（4 桁）が使える必要があります。", "Resetting the signing password through the app needs a working user-authentication PIN (4 digits)."},
	"advisor.reason.needs_sign_password":    {"アプリで利用者証明用の暗証番号を再設定するには、署名用パスワードが使える必要があります。", "Resetting the user-authentication PIN through the app needs a working signing password."},

	"advisor.item.card":                      {"カード本体", "The card itself"},
	"advisor.item.nfc_phone":                 {"JPKI暗証番号リセットアプリを入れた、NFC 対応のスマートフォン", "An NFC smartphone with the JPKI PIN-reset app installed"},
	"advisor.item.camera":                    {"そのスマートフォンのカメラ（署名用パスワードの顔認証用）", "Its camera (for the signing password's face check)"},
	"advisor.item.known_auth_pin":            {"利用者証明用の暗証番号（予約のときに入力します）", "Your user-authentication PIN (entered when booking)"},
	"advisor.item.known_sign_pin":            {"署名用パスワード（予約のときに入力します）", "Your signing password (entered when booking)"},
	"advisor.item.new_pin":                   {"新しく設定する暗証番号（あらかじめ決めておく）", "The new PIN you will set (decide it beforehand)"},
	"advisor.item.smartphone":                {"電子証明書が入っているスマートフォン", "The smartphone holding the certificate"},
	"advisor.item.counter_documents_unknown": {"窓口でカードのほかに必要なもの（本人確認書類など）は、Shomei が根拠とする資料に書かれていません。行く前に市区町村に確認してください。", "What else the counter asks for (identity documents and so on) is not in the documents Shomei relies on: ask the municipality before you go."},

	"advisor.note.kiosk_24h":         {"アプリで予約してから 24 時間以内に、キオスク端末のある店舗で再設定を済ませてください。", "Finish at a store's kiosk within 24 hours of booking in the app."},
	"advisor.note.kiosk_some_stores": {"店舗によってはキオスク端末がない、または対応していないことがあります。", "Some stores have no kiosk, or one that cannot do this."},
	"advisor.note.app_own_card":      {"アプリは本人が自分のカードで操作します。代理の人や他人のカードでは使えません。", "You operate the app yourself with your own card; nobody can do it for you."},
	"advisor.note.app_japanese_only": {"アプリの表示は日本語だけです。", "The app is in Japanese only."},
	"advisor.note.face_check":        {"顔認証ではマスクやサングラスを外し、明るい場所で行ってください。通らないときは窓口での再設定になります。", "For the face check take off masks and sunglasses and find good light; if it fails, the reset is done at the counter."},
	"advisor.note.costs":             {"サービスは無料ですが、通信料や店舗までの交通費は自己負担です。", "The service is free; data charges and travel to the store are yours."},
	"advisor.note.ask_municipality":  {"アプリとキオスク端末は、署名用パスワードと利用者証明用の暗証番号だけを扱います。", "The app and the kiosks handle only the signing password and the user-authentication PIN."},
	// Consent screen and documents (seed 004).
	"consent.button.agree":           {"同意する", "I agree"},
	"consent.button.disagree":        {"同意しない", "I do not agree"},
	"consent.details.link":           {"同意事項の詳細・補足説明", "Details and notes on this consent"},
	"consent.item.name":              {"氏名", "Name"},
	"consent.item.address":           {"住所", "Address"},
	"consent.item.birth_date":        {"生年月日", "Date of birth"},
	"consent.item.sex":               {"性別", "Sex"},
	"consent.item.cert_issue_number": {"署名用電子証明書の発行の番号", "Issue number of the signing certificate"},
	"consent.item.name.former":       {"旧氏を併記している場合は、旧氏も含みます。", "Includes a former surname when one is recorded beside the name."},
	"consent.item.name.kana":         {"2026年5月26日からは、氏名と旧氏の振り仮名も含みます。", "From 26 May 2026 it also includes the phonetic reading of the name and former surname."},
	"consent.item.address.abroad":    {"国外に転出した場合は、その旨と転出予定日も含みます。", "After a move abroad, includes that fact and the planned date of leaving."},

	"consent.section.provision":          {"機構から事業者への最新の基本4情報の提供", "Provision of your latest basic four items by J-LIS"},
	"consent.section.onward_provision":   {"プラットフォーム事業者から事業者への提供", "Passing on from the platform operator to the business"},
	"consent.section.purposes":           {"利用目的", "Purposes of use"},
	"consent.section.disclosure":         {"開示の請求", "Requesting disclosure"},
	"consent.section.records":            {"同意の記録の保存と削除", "Keeping and deleting the consent record"},
	"consent.section.method":             {"同意の取り方", "How the consent is taken"},
	"consent.section.bundled":            {"まとめての同意", "One consent for several services"},
	"consent.section.validity":           {"同意の有効期間", "How long the consent lasts"},
	"consent.section.voluntary":          {"同意は任意です", "Consent is voluntary"},
	"consent.section.withdrawal_effect":  {"同意の取消しと提供の停止", "Withdrawal stops the provision"},
	"consent.section.service_stop":       {"サービスが止まったときの提供の停止", "When the service stops"},
	"consent.section.inquiry_withdrawal": {"同意の照会と取消しの方法", "How to check or withdraw the consent"},
	"consent.section.client_software":    {"利用者クライアントソフトでの照会と取消し", "Checking or withdrawing with the JPKI client software"},
	"consent.section.reconsent":          {"取消しの後にもう一度同意するには", "Consenting again after a withdrawal"},
	"consent.section.contact":            {"お問い合わせ先", "Contact"},

	"consent.rule.json":                  {"同意文書を JSON として読めません: %s", "The consent document is not usable JSON: %s"},
	"consent.rule.format":                {"format が \"shomei-consent/1\" ではありません（%q）。", "format is not \"shomei-consent/1\" (%q)."},
	"consent.rule.title":                 {"表題（title）がありません。同意画面には表題が要ります。", "The title is missing: the consent screen needs one."},
	"consent.rule.summary":               {"要旨（summary）がありません。同意画面には要旨が要ります。", "The summary is missing: the consent screen needs one."},
	"consent.rule.screen_size":           {"同意画面が一画面に収まりません（表題は 80 字、要旨は 4 段落・合計 400 字まで）。", "The consent screen would not fit on one screen (title up to 80 characters, summary up to 4 paragraphs and 400 characters)."},
	"consent.rule.service":               {"サービス名（service.name）がありません。同意はサービスごとに取ります。", "The service name is missing: consent is given per service."},
	"consent.rule.business":              {"事業者名（business.name）がありません。", "The business name is missing."},
	"consent.rule.platform_operator":     {"プラットフォーム事業者名（platform_operator.name）がありません。", "The platform operator's name is missing."},
	"consent.rule.items":                 {"提供する情報（items）が空か、使えない項目があります（name, address, birth_date, sex, cert_issue_number を重複なく）: %q", "The items provided are missing or wrong (name, address, birth_date, sex, cert_issue_number, each once): %q"},
	"consent.rule.purposes":              {"利用目的（purposes）がありません。", "The purposes of use are missing."},
	"consent.rule.section_missing":       {"必須の詳細項目がありません: %s", "A required details section is missing: %s"},
	"consent.rule.section_unknown":       {"詳細項目の種類が不明です: %q", "Unknown details section kind: %q"},
	"consent.rule.section_twice":         {"詳細項目が二度あります: %s", "Details section given twice: %s"},
	"consent.rule.section_empty":         {"詳細項目に本文がありません: %s", "Details section without text: %s"},
	"consent.rule.operator_in_provision": {"提供の説明（provision）にプラットフォーム事業者名「%s」が書かれていません。", "The provision section does not name the platform operator %q."},
	"consent.rule.contact":               {"お問い合わせ先（contact）には名称と、住所・電話・URL・メールのいずれかが要ります。", "The contact needs a name and an address, phone number, URL or e-mail."},
	"consent.rule.text":                  {"表示を乱す文字（制御文字や書字方向の上書き: %s）が含まれています。", "The text holds a character that can disturb the display (a control or direction override: %s)."},
	// E-application signing (seed 002).
	"app.count":     {"次の %d 件のファイルに署名します:", "These %d files will be signed:"},
	"app.file":      {"  %s（%d バイト、SHA-256 %s…）", "  %s (%d bytes, SHA-256 %s…)"},
	"app.more":      {"ほか %d 項目", "and %d more values"},
	"app.nopreview": {"（大きいため内容の一覧は省略します）", "(too large to list its values)"},
}
