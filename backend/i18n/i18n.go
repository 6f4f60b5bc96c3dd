// Package i18n holds every sentence Shomei shows a person, in Japanese (the
// first language) and English, keyed by stable message keys. Error messages
// are chosen here, once, from the card layer's error codes.
package i18n

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// Lang is a UI language.
type Lang string

const (
	JA Lang = "ja"
	EN Lang = "en"
)

// FromEnv picks the language from LC_ALL, LC_MESSAGES and LANG, in that
// order: a Japanese locale gives JA, any other set locale EN, none at all JA.
func FromEnv() Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "ja") {
				return JA
			}
			return EN
		}
	}
	return JA
}

// Parse accepts "ja"/"en" (and locale strings).
func Parse(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), "en") {
		return EN
	}
	return JA
}

type text struct{ ja, en string }

var catalog = map[string]text{
	// Errors, by cardio.Code.
	"err.no_service":        {"スマートカードサービス（pcscd）が動いていません。pcscd を起動してください。", "The smart card service (pcscd) is not running. Start pcscd."},
	"err.no_reader":         {"カードリーダーが見つかりません。リーダーを接続してください。", "No card reader found. Connect a reader."},
	"err.no_card":           {"リーダーにカードがありません。マイナンバーカードを置いてください。", "There is no card in the reader. Insert your My Number Card."},
	"err.card_removed":      {"操作中にカードが取り外されました。カードを置き直して、もう一度操作してください。", "The card was removed during the operation. Insert it again and retry."},
	"err.card_reset":        {"別のプログラムがカードをリセットしました。もう一度操作してください。", "Another program reset the card. Please try again."},
	"err.reader_busy":       {"別のプログラムがカードを使用中です。そのプログラムを閉じてから操作してください。", "Another program is using the card. Close it and try again."},
	"err.timeout":           {"カードリーダーが時間内に応答しませんでした。", "The card reader did not answer in time."},
	"err.not_mynumber_card": {"このカードはマイナンバーカード（公的個人認証）ではありません。", "This card is not a My Number Card (no JPKI applet)."},
	"err.card_protocol":     {"カードから想定外の応答がありました。カードを置き直してください。", "The card gave an unexpected answer. Reinsert the card."},
	"err.transport":         {"カードとの通信に失敗しました。", "Communication with the card failed."},
	"err.access_denied":     {"カードが操作を拒否しました（暗証番号の照合が必要です）。", "The card refused the operation (the PIN must be verified first)."},
	"err.no_signing_cert":   {"このカードには署名用電子証明書がありません。", "This card has no signing certificate."},
	"err.pin_format":        {"暗証番号の形式が正しくありません。カードには何も送っていません。", "The PIN does not have the required format. Nothing was sent to the card."},
	"err.pin_wrong":         {"暗証番号が違います。残り %d 回です。", "Wrong PIN. %d tries left."},
	"err.pin_wrong_one":     {"暗証番号が違います。残り 1 回です。次に間違えるとロックされます。", "Wrong PIN. 1 try left: the next mistake locks it."},
	"err.pin_wrong_zero":    {"暗証番号が違います。暗証番号はロックされました。", "Wrong PIN. The PIN is now locked."},
	"err.pin_locked":        {"この暗証番号はロックされています。カードには何も送っていません。初期化・再設定が必要です。", "This PIN is locked. Nothing was sent to the card. It must be reset."},
	"err.pin_last_try":      {"残り 1 回です。間違えるとロックされます。続けるには明示的な確認が必要です。", "One try left: a mistake locks the PIN. Explicit confirmation is required to go on."},
	"err.card_changed":      {"表示した状態とは別のカードです。状態を確認し直してください。カードには何も送っていません。", "This is not the card whose state was shown. Check the state again. Nothing was sent."},
	"err.pin_state_changed": {"残り回数が表示時から変わっています（現在 %d 回）。状態を確認し直してください。カードには何も送っていません。", "The tries left changed since they were shown (now %d). Check again. Nothing was sent."},
	"err.unsupported":       {"このカードはこの操作に対応していません。", "The card does not support this operation."},
	"err.cancelled":         {"操作を取り消しました。", "The operation was cancelled."},
	"err.internal":          {"予期しないエラーが発生しました。", "An unexpected error occurred."},

	// PIN names.
	"pin.sign": {"署名用電子証明書の暗証番号", "Signing password"},
	"pin.auth": {"利用者証明用電子証明書の暗証番号", "User-authentication PIN"},
	"pin.text": {"券面事項入力補助用暗証番号", "Card-info input support PIN"},
	"pin.juki": {"住民基本台帳用暗証番号", "Resident registry (住基) PIN"},

	"pin.rule.sign":   {"英大文字（A〜Z）と数字（0〜9）の 6〜16 文字（小文字・全角も受け付けます）", "6 to 16 characters, letters A–Z and digits 0–9 (lower case and full-width accepted)"},
	"pin.rule.digits": {"数字 4 桁", "4 digits"},

	// Status output.
	"status.reader":             {"リーダー", "Reader"},
	"status.card":               {"カード", "Card"},
	"status.kind.mynumber_card": {"マイナンバーカード", "My Number Card"},
	"status.kind.juki_card":     {"住基カード（旧）", "Juki card (old)"},
	"status.kind.smartphone":    {"スマートフォン用電子証明書", "Smartphone JPKI"},
	"status.kind.unknown_jpki":  {"不明な JPKI トークン", "Unknown JPKI token"},
	"status.testcard":           {"テストカード（本番では使えません）", "TEST CARD (not for production)"},
	"status.authcert":           {"利用者証明用電子証明書の有効期限", "Auth certificate valid until"},
	"status.days":               {"残り %d 日", "%d days left"},
	"status.signcert.none":      {"署名用電子証明書: なし", "Signing certificate: none"},
	"status.tries":              {"残り %d / %d 回", "%d of %d tries left"},
	"status.locked":             {"ロック中", "LOCKED"},
	"status.absent":             {"このカードにはありません", "not on this card"},
	"status.verified":           {"照合済み", "verified"},
	"readers.none":              {"カードリーダーがありません。", "No card readers."},
	"readers.card":              {"カードあり", "card present"},
	"readers.empty":             {"カードなし", "empty"},

	// PIN change dialogue.
	"change.title":     {"%s を変更します（%s）。", "Changing the %s (%s)."},
	"change.current":   {"現在の暗証番号: ", "Current PIN: "},
	"change.new":       {"新しい暗証番号: ", "New PIN: "},
	"change.again":     {"新しい暗証番号（確認）: ", "New PIN again: "},
	"change.mismatch":  {"新しい暗証番号が一致しません。カードには何も送っていません。", "The new PINs do not match. Nothing was sent to the card."},
	"change.done":      {"暗証番号を変更しました。", "The PIN was changed."},
	"change.tries":     {"現在の残り回数: %d / %d", "Tries left now: %d of %d"},
	"lasttry.warn":     {"注意: 残り 1 回です。間違えると %s はロックされ、初期化・再設定が必要になります。", "Warning: one try left. A mistake locks the %s and it must then be reset."},
	"lasttry.prompt":   {"続けるには yes と入力してください: ", "Type yes to continue: "},
	"lasttry.flag":     {"残り 1 回のため、--confirm-last-try なしでは続けません。", "One try left: not going on without --confirm-last-try."},
	"lasttry.declined": {"中止しました。カードには何も送っていません。", "Stopped. Nothing was sent to the card."},
	"nopin.terminal":   {"暗証番号は端末から入力するか --pin-stdin で渡してください。", "Enter the PIN at a terminal, or pass it with --pin-stdin."},

	// Signing.
	"sign.disclosure": {"ご注意: 署名用電子証明書は署名したファイルに含まれ、受け取った人はあなたの氏名・住所・生年月日・性別を読むことができます。",
		"Please note: the signing certificate goes into every signed file, and whoever receives it can read your name, address, date of birth and sex."},
	"sign.disclosure.prompt":     {"内容を理解して署名する場合は yes と入力してください: ", "Type yes if you understand and want to sign: "},
	"sign.disclosure.flag":       {"端末がないため確認できません。内容に同意する場合は --accept-disclosure を付けてください。", "No terminal to ask: pass --accept-disclosure if you accept this."},
	"sign.disclosure.no":         {"署名しませんでした。", "Nothing was signed."},
	"sign.progress":              {"[%d/%d] %s", "[%d/%d] %s"},
	"sign.ok":                    {"署名しました: %s", "signed: %s"},
	"sign.failed":                {"署名できませんでした: %s: %s", "not signed: %s: %s"},
	"sign.summary":               {"%d 件中 %d 件に署名しました。", "Signed %[2]d of %[1]d files."},
	"file.read_failed":           {"ファイルを読めませんでした。", "The file could not be read."},
	"file.write_failed":          {"署名ファイルを書き込めませんでした（空き容量や書き込み権限を確認してください）。何も残していません。", "The signature could not be written (check free space and permissions). Nothing was left behind."},
	"file.output_exists":         {"出力ファイルが既にあります。上書きするには --overwrite を付けてください。", "The output file exists already. Pass --overwrite to replace it."},
	"file.format_unavailable":    {"この形式はまだ使えません。", "This format is not available yet."},
	"file.pdf_unreadable":        {"PDF として読めません（壊れているか PDF ではありません）。", "The file cannot be read as a PDF (broken, or not a PDF)."},
	"file.pdf_encrypted":         {"暗号化された PDF には署名できません。暗号化を解除してから署名してください。", "Encrypted PDFs cannot be signed. Remove the encryption first."},
	"file.pdf_certified":         {"この PDF は「変更不可」で証明されているため、署名を追加できません。", "This PDF is certified with no changes allowed: no signature can be added."},
	"file.pdf_certify_not_first": {"既に署名のある PDF は証明（certify）できません。通常の署名にしてください。", "A PDF that is already signed cannot be certified. Use an ordinary signature."},
	"file.no_font":               {"スタンプ用の日本語フォントが見つかりません（fonts-noto-cjk を入れるか SHOMEI_STAMP_FONT で指定してください）。", "No Japanese font for the stamp (install fonts-noto-cjk or name one in SHOMEI_STAMP_FONT)."},
	"file.timestamp_failed":      {"タイムスタンプを取得できませんでした（TSA の URL と接続を確認してください）。何も残していません。", "The timestamp could not be obtained (check the TSA URL and the connection). Nothing was left behind."},
	"file.pdf_no_page":           {"指定したページがこの PDF にありません。", "The PDF has no such page."},
	"file.not_signed":            {"カードのエラーで一括署名が止まったため、署名していません。", "Not signed: the batch stopped because of a card error."},
	"file.unsafe_text":           {"署名の理由・場所に制御文字や文字の向きを変える文字は使えません。カードには何も送っていません。", "The reason and location cannot hold control or text-direction characters. Nothing was sent to the card."},
	"file.cancelled":             {"取り消したため、署名していません。", "Not signed: the batch was cancelled."},
	"file.file_changed":          {"署名中にファイルが書き換えられたため、署名していません。何も残していません。書き換えが終わってから、もう一度署名してください。", "Not signed: the file was written to while it was being signed. Nothing was left behind. Sign it again once it is no longer being changed."},

	"vcard.inserted":   {"仮想カードを %s に挿入しました（状態: %s）。Ctrl+C で取り外します。", "Virtual card inserted at %s (state: %s). Ctrl+C removes it."},
	"vcard.removed":    {"仮想カードを取り外しました。", "Virtual card removed."},
	"vcard.retry":      {"pcscd の仮想リーダー（%s）に接続できません。%d 秒後にもう一度試します。pcscd が vpcd と一緒に動いているか確かめてください。", "Cannot reach pcscd's virtual reader (%s). Trying again in %d s. Check that pcscd runs with vpcd."},
	"err.vcard_config": {"仮想カードの設定ファイル %s を読めません（仮想カードの設定の JSON ではありません）。", "The virtual card's configuration file %s cannot be read (it is not a virtual card configuration in JSON)."},
	"err.vcard_state":  {"仮想カードの状態 %s を開けないか、作れません。", "The virtual card's state in %s cannot be opened or created."},
	"err.vcard_write":  {"%s に書き込めませんでした。", "%s could not be written."},

	// The UI's API (desktop app and shomei serve).
	"api.bad_request":       {"要求の内容が正しくありません。", "The request is not valid."},
	"api.busy":              {"別の暗証番号の操作を実行中です。終わるまでお待ちください。カードには何も送っていません。", "Another PIN operation is running. Wait for it to end. Nothing was sent to the card."},
	"api.file_missing":      {"ファイルが見つかりません: %s", "File not found: %s"},
	"api.preview_too_large": {"%d MB を超えるファイルはプレビューできません。", "Files over %d MB cannot be previewed."},
	"api.pick":              {"署名するファイルを選択", "Choose files to sign"},
	"api.unsupported":       {"この画面ではこの操作はできません。", "This cannot be done here."},
	"api.unavailable":       {"この機能はまだ使えません。", "This feature is not available yet."},
	"api.no_files":          {"ファイルが選択されていません。", "No files were chosen."},
	"api.tsa_missing":       {"タイムスタンプ付き（B-T）には、設定でタイムスタンプサーバーの URL を指定してください。", "For a timestamped (B-T) signature, set a timestamp server URL in the settings."},
	"api.tsa_url":           {"タイムスタンプサーバーには http または https の URL を指定してください。", "The timestamp server must be an http or https URL."},
	"api.bad_stamp":         {"スタンプの位置または大きさが正しくありません（幅 20pt・高さ 10pt 以上）。", "The stamp's place or size is not valid (at least 20 pt wide and 10 pt high)."},
	"api.extract_failed":    {"署名された版を取り出せませんでした。", "The signed version could not be extracted."},
	"api.no_roots":          {"このカードから取り込める証明書はありません。カードからは J-LIS の登録済みルート証明書だけを取り込みます（仮想カードのテスト用ルートは、ファイルから追加してください）。", "Nothing to import from this card: only pinned J-LIS roots are taken from a card (add a virtual card's test root from a file)."},
	"api.output_exists":     {"署名済みファイルが既にあります。置き換える場合は「既存のファイルを置き換える」を選んでください。", "The signed file exists already. Choose \"replace existing files\" to replace it."},
}

// T returns the message for key in lang, formatted with args. An unknown key
// is returned as is, so a missing translation is visible, not fatal.
func T(lang Lang, key string, args ...any) string {
	t, ok := catalog[key]
	if !ok {
		return key
	}
	s := t.ja
	if lang == EN {
		s = t.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys lists the keys that start with prefix, sorted: a family of
// sentences a shell shows by code (change kinds, file verdicts).
func Keys(prefix string) []string {
	var out []string
	for k := range catalog {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Has reports whether key exists.
func Has(key string) bool {
	_, ok := catalog[key]
	return ok
}

// PINRule explains the format of a PIN before it is typed.
func PINRule(lang Lang, id string) string {
	if id == "sign" {
		return T(lang, "pin.rule.sign")
	}
	return T(lang, "pin.rule.digits")
}

// PINState is the one sentence for a PIN's state on every screen and in the
// CLI: absent, locked, or its tries left of the most it allows.
func PINState(lang Lang, available, locked bool, triesLeft, maxTries int) string {
	switch {
	case !available:
		return T(lang, "status.absent")
	case locked:
		return T(lang, "status.locked")
	default:
		return T(lang, "status.tries", triesLeft, maxTries)
	}
}
