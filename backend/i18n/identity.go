package i18n

import (
	"errors"

	"github.com/shomei-app/shomei/cardio"
)

// Sentences of the identity check from the chip and the basic information
// read (issue 15).

func init() {
	for k, v := range identityCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var identityCatalog = map[string]text{
	"err.chip_data_invalid": {"IC チップの券面情報を、カードが書くとおりには読み取れませんでした。偽造・改ざんされたカードのおそれがあります。券面だけで本人確認をしないでください。", "The chip's card-face data cannot be read as a card writes them. The card may be forged or altered: do not rely on the printed card alone."},

	"cli.card.identity.short":                {"本人確認: 照合番号B で IC チップの顔写真と 4 情報を読み、J-LIS の署名を確かめる（窓口向け）", "Identity check: read the chip's photo and 4 facts with 照合番号B and check J-LIS's signature (counter)"},
	"cli.card.basic-info.short":              {"券面事項入力補助用暗証番号で基本 4 情報（氏名・住所・生年月日・性別）を読む", "Read the basic 4 information (name, address, birth date, sex) with the 4-digit PIN"},
	"cli.vcard.info.short":                   {"仮想カードのテスト用の本人情報と暗証番号（照合番号B は pin_b）を表示", "Show the virtual card's test identity and PINs (照合番号B as pin_b)"},
	"cli.flag.card.identity.pin-stdin":       {"照合番号B を標準入力の 1 行から読む", "read 照合番号B from one line of standard input"},
	"cli.flag.card.identity.photo":           {"顔写真をこの PNG ファイルに書き出す（個人情報です）", "write the face photo to this PNG file (personal data)"},
	"cli.flag.card.basic-info.with-mynumber": {"個人番号も読んで表示する（既定では読みません）", "also read and show the My Number (not read by default)"},
	"cli.flag.vcard.tamper-chip-data":        {"署名後に書き換えた券面データを出す（偽造カードの試験用）", "serve 券面 data altered after their signature (forged-card tests)"},
	"cli.flag.vcard.run.tamper-chip-data":    {"署名後に書き換えた券面データを出す（偽造カードの試験用）", "serve 券面 data altered after their signature (forged-card tests)"},

	"pin.text_a":   {"券面事項入力補助 照合番号A（個人番号）", "Card-info input support 照合番号A (My Number)"},
	"pin.text_b":   {"券面事項入力補助 照合番号B", "Card-info input support 照合番号B"},
	"pin.visual_a": {"券面事項確認 照合番号A（個人番号）", "Card-face check 照合番号A (My Number)"},
	"pin.visual_b": {"券面事項確認 照合番号B", "Card-face check 照合番号B"},

	"history.kind.identity_check": {"本人確認（IC チップ）", "identity check (chip)"},
	"history.kind.basic_info":     {"基本 4 情報の読み取り", "basic information read"},

	// The verdict, said once for the CLI and the UI.
	"identity.authentic.confirmed":      {"IC チップの情報は J-LIS の署名で確認できました。", "The chip's data are confirmed by J-LIS's signature."},
	"identity.authentic.confirmed_test": {"IC チップの情報はテスト用の署名で確認できました（テストカード。本物のカードではありません）。", "The chip's data are confirmed by a TEST signature (a test card, not a real one)."},
	"identity.authentic.failed":         {"IC チップの情報は J-LIS の署名と一致しません。偽造・改ざんされたカードのおそれがあります。このカードで本人確認をしないでください。", "The chip's data do not match J-LIS's signature. The card may be forged or altered: do not accept it as proof of identity."},
	"identity.authentic.unverifiable":   {"IC チップの情報が本物かどうか確認できませんでした（署名を確かめる鍵がありません）。このカードの真正性は確認できていません。", "Whether the chip's data are genuine could not be confirmed (no key to check the signature). The card's authenticity is not confirmed."},
	"identity.compare":                  {"顔写真をご本人と、氏名・住所・生年月日・性別を券面と見比べてください。", "Compare the photo with the person, and the name, address, birth date and sex with the printed card."},
	"identity.expiry_unsigned":          {"有効期限は J-LIS の署名の対象外です（照合番号B に含まれる年は、カードが照合しています）。", "The expiry is not covered by J-LIS's signature (its year, part of 照合番号B, was checked by the card)."},

	"identity.name":       {"氏名", "Name"},
	"identity.address":    {"住所", "Address"},
	"identity.birth_date": {"生年月日", "Birth date"},
	"identity.sex":        {"性別", "Sex"},
	"identity.expiry":     {"有効期限", "Expiry"},
	"identity.mynumber":   {"個人番号", "My Number"},
	"identity.authentic":  {"真正性", "Authenticity"},

	// `shomei vcard info`: the labels of its text output.
	"vcard.info.label":         {"ラベル", "Label"},
	"vcard.info.security_code": {"セキュリティコード", "Security code"},
	"vcard.info.pin_a":         {"個人番号（照合番号A）", "My Number (照合番号A)"},
	"vcard.info.pin_b":         {"照合番号B", "照合番号B"},

	"identity.sex.male":           {"男", "male"},
	"identity.sex.female":         {"女", "female"},
	"identity.sex.not_applicable": {"適用不能", "not applicable"},
	"identity.sex.unknown":        {"不明", "unknown"},

	"identity.prompt.code_b":   {"照合番号B（券面の 生年月日 6 桁〔和暦の年 2 桁・月・日〕＋ 有効期限の西暦年 4 桁 ＋ セキュリティコード 4 桁、計 14 桁）: ", "照合番号B (from the card face: birth date YYMMDD in the Japanese era, the expiry year YYYY and the 4-digit security code, 14 digits): "},
	"identity.prompt.text_pin": {"券面事項入力補助用暗証番号（数字 4 桁）: ", "Card-info input support PIN (4 digits): "},
	"identity.photo.saved":     {"顔写真を PNG で保存しました: %s（個人情報です。用が済んだら削除してください）", "The face photo was saved as PNG: %s (personal data: delete it when done)"},
	"identity.photo.unusable":  {"顔写真を PNG に変換できませんでした。", "The face photo could not be converted to PNG."},
	"identity.mynumber.masked": {"（隠しています。表示するには --with-mynumber）", "(hidden; --with-mynumber shows it)"},

	"identity.err.code_b_format": {"照合番号B は数字 14 桁です（生年月日 6 桁・有効期限の年 4 桁・セキュリティコード 4 桁）。カードには何も送っていません。", "照合番号B is 14 digits (birth date 6, expiry year 4, security code 4). Nothing was sent to the card."},
	"identity.err.code_b_wrong":  {"照合番号B が券面と一致しません。残り %d 回です。券面の数字を確かめてください。", "照合番号B does not match the card. %d tries left. Check the digits on the card."},
	"identity.err.code_b_one":    {"照合番号B が券面と一致しません。残り 1 回です。次に間違えるとロックされます。", "照合番号B does not match the card. 1 try left: the next mistake locks it."},
	"identity.err.code_b_zero":   {"照合番号B が券面と一致しません。照合番号B はロックされました。", "照合番号B does not match the card. It is now locked."},
}

// IdentityError is the message for an error of the identity check: a wrong
// or malformed 照合番号B is said as such, anything else as Error says it.
func IdentityError(lang Lang, err error) string {
	var ce *cardio.Error
	if errors.As(err, &ce) {
		switch ce.Code {
		case cardio.CodePINFormat:
			return T(lang, "identity.err.code_b_format")
		case cardio.CodePINWrong:
			switch ce.TriesLeft {
			case 0:
				return T(lang, "identity.err.code_b_zero")
			case 1:
				return T(lang, "identity.err.code_b_one")
			}
			return T(lang, "identity.err.code_b_wrong", ce.TriesLeft)
		}
	}
	return Error(lang, err)
}

// Authenticity is the sentence for a verdict ("confirmed", "failed",
// "unverifiable") and whether it rests on a test key.
func Authenticity(lang Lang, status string, test bool) string {
	if status == "confirmed" && test {
		return T(lang, "identity.authentic.confirmed_test")
	}
	if Has("identity.authentic." + status) {
		return T(lang, "identity.authentic."+status)
	}
	return T(lang, "identity.authentic.unverifiable")
}
