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
}
