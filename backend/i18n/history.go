package i18n

// Sentences of the local history (shomei history …, issue 6). They join the
// catalog at start-up; a key that is already there is a programming error.

func init() {
	for k, v := range historyCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var historyCatalog = map[string]text{
	// Why the history could not be read or written.
	"history.busy":    {"別の Shomei（デスクトップアプリ、ブラウザ画面、またはコマンド）が履歴を使用中です。少し待ってからもう一度実行してください。", "Another Shomei process (the desktop app, the browser UI or a command) is using the history. Wait a moment and try again."},
	"history.newer":   {"履歴ファイルは新しいバージョンの Shomei で作られています。Shomei を更新してください。履歴には手を加えていません。", "The history file was written by a newer version of Shomei. Update Shomei. The history was left as it is."},
	"history.corrupt": {"履歴ファイルを読めません（壊れているか、履歴ファイルではありません）: %s", "The history file cannot be read (damaged, or not a history file): %s"},
	"history.failed":  {"履歴を読み書きできませんでした（保存場所の権限と空き容量を確認してください）。", "The history could not be read or written (check the permissions and free space of its folder)."},
	"history.warn":    {"警告: 今回の操作は履歴に記録されませんでした。操作そのものの結果は上のとおりです。理由: %s", "Warning: this operation was not recorded in the history. Its own result is as shown above. Reason: %s"},

	// shomei history (listing).
	"history.none":    {"履歴はまだありません。", "The history is empty."},
	"history.nomatch": {"条件に合う記録はありません。", "No events match."},
	"history.more":    {"さらに古い記録があります（--limit 0 ですべて表示）。", "Older events exist (--limit 0 shows them all)."},
	"history.date":    {"日付は YYYY-MM-DD（または RFC 3339 の日時）で指定してください: %s", "Give dates as YYYY-MM-DD (or an RFC 3339 time): %s"},

	"history.kind.pin_status_locked": {"ロックを確認", "lock found"},
	"history.kind.pin_change":        {"暗証番号の変更", "PIN change"},
	"history.kind.pin_reset":         {"暗証番号の初期化", "PIN reset"},
	"history.kind.sign":              {"署名", "signature"},
	"history.kind.sign_batch":        {"一括署名", "batch"},
	"history.kind.sign_egov":         {"e-Gov 電子申請の署名", "e-Gov application signature"},
	"history.kind.sign_digest":       {"ハッシュ値への署名", "digests signed"},
	"history.kind.verify":            {"検証", "verification"},
	"history.kind.consent":           {"同意", "consent"},
	"history.kind.consent_withdraw":  {"同意の撤回", "consent withdrawn"},
	"history.kind.checkpoint":        {"履歴の削除", "history purged"},

	"history.outcome.ok":      {"成功", "ok"},
	"history.outcome.partial": {"一部失敗", "partly failed"},
	"history.outcome.failed":  {"失敗", "failed"},
	// In the history table (a past event: no advice on flags or buttons).
	"history.outcome.pin_wrong.past":     {"暗証番号が違いました。", "The PIN was wrong."},
	"history.outcome.reset_code_wrong":   {"リセットコードが違いました。", "The reset code was wrong."},
	"history.outcome.state_changed.past": {"残り回数が表示時から変わっていたため、カードには何も送りませんでした。", "The tries left had changed since they were shown: nothing was sent to the card."},
	"history.outcome.output_exists":      {"署名済みのファイルが既にあったため、署名しませんでした。", "Not signed: the signed file existed already."},

	// What the history table says about a signature.
	"history.format.pades":                {"PDF 署名", "PDF signature"},
	"history.format.cms-detached":         {"署名ファイル（.p7s）", "signature file (.p7s)"},
	"history.format.cms-enveloping":       {"署名ファイル（.p7m）", "signature file (.p7m)"},
	"history.format.application-response": {"電子申請の応答ファイル", "e-application response"},
	"history.format.pdf-pkcs7-touki":      {"登記申請用 PDF 署名", "PDF signature for 登記 filing"},
	"history.level.b-t":                   {"タイムスタンプ付き", "with a timestamp"},
	"history.signatures":                  {"署名 %d 件", "%d signature(s)"},
	"history.test_card":                   {"テストカード", "test card"},
	"history.files":                       {"ファイル %d 件", "%d file(s)"},
	"history.digests":                     {"ハッシュ値 %d 件", "%d digest(s)"},
	"history.key.auth":                    {"利用者証明用の鍵", "authentication key"},

	"history.batch":      {"%d 件中 %d 件に署名", "%[2]d of %[1]d signed"},
	"history.removed":    {"%d 件を削除", "%d events removed"},
	"history.tries_left": {"残り %d 回", "%d tries left"},

	// shomei history verify.
	"history.verify.ok":        {"履歴は改ざんされていません（%d 件、#%d〜#%d）。", "The history is intact (%d events, #%d to #%d)."},
	"history.verify.empty":     {"履歴は空です。", "The history is empty."},
	"history.verify.base":      {"#%d までの記録は削除済みです（削除の記録が残っています）。", "Events up to #%d were purged (a checkpoint records it)."},
	"history.verify.head":      {"最新のハッシュ（#%d）: %s", "Head hash (#%d): %s"},
	"history.verify.note":      {"このハッシュを別の場所に控えておくと、後で履歴全体が書き換えられていないか確かめられます。", "Note this hash elsewhere: it lets you check later that the whole history was not rewritten."},
	"history.verify.edited":    {"改ざんを検出しました: 記録 #%d が書き換えられています。", "Tampering found: event #%d was altered."},
	"history.verify.removed":   {"改ざんを検出しました: 記録 #%d〜#%d が削除されています。", "Tampering found: events #%d to #%d were removed."},
	"history.verify.reordered": {"改ざんを検出しました: 記録の順序が入れ替えられています（#%d の位置に #%d）。", "Tampering found: events were reordered (#%[2]d sits at the place of #%[1]d)."},
	"history.verify.meta":      {"改ざんを検出しました: 履歴の管理情報が記録と一致しません（#%d 付近）。", "Tampering found: the history's own records do not match the events (near #%d)."},

	// shomei history purge / export.
	"history.purge.prompt": {"履歴を削除します。削除した記録は元に戻せません。続けるには yes と入力してください: ", "The history will be deleted and cannot be brought back. Type yes to continue: "},
	"history.purge.no":     {"削除しませんでした。", "Nothing was deleted."},
	"history.purge.none":   {"削除する記録はありませんでした。", "There was nothing to delete."},
	"history.purge.done":   {"%d 件の記録を削除しました。削除の記録（#%d）が残るため、履歴は引き続き検証できます。", "Deleted %d events. A checkpoint (#%d) records the deletion, so the history still verifies."},
	"history.export.done":  {"%s に書き出しました。", "Written to %s."},
	"history.export.exists": {"出力ファイルが既にあります。上書きするには --overwrite を付けてください。",
		"The output file exists already. Pass --overwrite to replace it."},
	"history.export.failed": {"書き出せませんでした（保存先の権限と空き容量を確認してください）。何も残していません。", "The export could not be written (check the folder's permissions and free space). Nothing was left behind."},
}
