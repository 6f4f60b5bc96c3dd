package i18n

// Sentences of signature verification: one plain line per indication and
// sub-indication, then what a person should know besides (changes,
// revocation, test roots).

func init() {
	for k, v := range verifyCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var verifyCatalog = map[string]text{
	"verify.PASSED":                                          {"%s の署名は有効です。署名された内容は改ざんされておらず、証明書は信頼できる認証局につながっています。", "The signature by %s is valid: the signed content is unaltered and the certificate chains to a trusted authority."},
	"verify.PASSED.timestamp":                                {"文書タイムスタンプは有効です（%s 時点で文書が存在したことを証明します）。", "The document timestamp is valid: it proves the document existed at %s."},
	"verify.FAILED.FORMAT_FAILURE":                           {"この署名は壊れているか、署名後に許されない変更が加えられています。信頼しないでください。", "This signature is broken, or the document was changed after signing in a way that is not allowed. Do not trust it."},
	"verify.FAILED.HASH_FAILURE":                             {"署名後に内容が書き換えられています。この署名は無効です。", "The content was altered after signing. The signature is not valid."},
	"verify.FAILED.SIG_CRYPTO_FAILURE":                       {"署名値が証明書の鍵で検証できません。この署名は無効です。", "The signature value does not verify with the certificate's key. The signature is not valid."},
	"verify.FAILED.EXPIRED":                                  {"署名の時刻（タイムスタンプで証明）には、証明書の有効期限が切れていました。", "The certificate had expired at the signing time proven by the timestamp."},
	"verify.FAILED.NOT_YET_VALID":                            {"署名の時刻（タイムスタンプで証明）には、証明書はまだ有効ではありませんでした。", "The certificate was not yet valid at the signing time proven by the timestamp."},
	"verify.FAILED.REVOKED":                                  {"証明書は署名の時刻より前に失効していました。この署名は無効です。", "The certificate was revoked before the signing time. The signature is not valid."},
	"verify.INDETERMINATE.NO_SIGNING_CERTIFICATE_FOUND":      {"署名者の証明書が見つからないか、署名が指定する証明書と一致しません。誰の署名か確かめられません。", "The signer's certificate is missing or does not match the one the signature names: who signed cannot be established."},
	"verify.INDETERMINATE.NO_CERTIFICATE_CHAIN_FOUND":        {"内容は改ざんされていませんが、証明書が信頼する認証局につながりません。署名者を確認できません。", "The content is unaltered, but the certificate does not chain to a trusted authority: the signer cannot be confirmed."},
	"verify.INDETERMINATE.CERTIFICATE_CHAIN_GENERAL_FAILURE": {"証明書のつながりを検証できませんでした（認証局の署名が一致しません）。", "The certificate chain could not be validated (an authority's signature does not match)."},
	"verify.INDETERMINATE.CHAIN_CONSTRAINTS_FAILURE":         {"この証明書は署名に使うためのものではありません（鍵用途が合いません）。", "The certificate is not meant for signing (its key usage does not allow it)."},
	"verify.INDETERMINATE.OUT_OF_BOUNDS_NO_POE":              {"証明書の有効期限が切れており、期限内に署名されたことを証明するタイムスタンプがありません。", "The certificate has expired and no timestamp proves the signature was made before that."},
	"verify.INDETERMINATE.NOT_YET_VALID":                     {"証明書はまだ有効期間に入っていません。", "The certificate is not yet valid."},
	"verify.INDETERMINATE.REVOKED_NO_POE":                    {"証明書は失効しています。失効より前に署名されたことを証明するタイムスタンプがありません。", "The certificate is revoked, and no timestamp proves the signature was made before that."},
	"verify.INDETERMINATE.TRY_LATER":                         {"与えられた失効リストでは失効状態を判断できません。新しい失効リストで確認してください。", "The revocation lists given cannot tell whether the certificate is revoked. Check with a current list."},
	"verify.INDETERMINATE.GENERIC":                           {"署名後の変更を解析できませんでした。署名後に何が変わったか分かりません。", "The changes after signing could not be analysed: what changed after signing is unknown."},
	"verify.note.changes_allowed":                            {"署名後に許された変更（別の署名、タイムスタンプ、検証データ、フォーム入力など）があります。", "After signing, only allowed changes were made (more signatures, timestamps, validation data, form filling)."},
	"verify.note.partial":                                    {"この署名は文書の以前の版を対象としています（「署名された版」を取り出せます）。", "This signature covers an earlier version of the document (you can extract the signed version)."},
	"verify.note.not_checked":                                {"失効は確認していません（失効リストが指定されていません）。", "Revocation was not checked (no revocation list was given)."},
	"verify.note.test_anchor":                                {"テスト用の信頼点によるものです。本番の署名ではありません。", "It chains to a TEST root: not a production signature."},
	"verify.note.user_anchor":                                {"利用者が追加した信頼点「%s」によるものです。", "It chains to the user-added trust anchor %q."},
	"verify.file.PASSED":                                     {"すべての署名が有効です。", "Every signature is valid."},
	"verify.file.FAILED":                                     {"無効な署名があります。", "At least one signature is not valid."},
	"verify.file.INDETERMINATE":                              {"確認できない署名があります。", "At least one signature could not be confirmed."},
	"verify.file.none":                                       {"署名が見つかりません。", "No signature was found."},
	"verify.label.signature":                                 {"署名", "Signature"},
	"verify.label.document_timestamp":                        {"文書タイムスタンプ", "Document timestamp"},
	"verify.label.signer":                                    {"署名者", "Signer"},
	"verify.label.jpki":                                      {"公的個人認証（%s）", "JPKI (%s)"},
	"verify.label.jpki_test":                                 {"公的個人認証 テスト用", "JPKI test"},
	"verify.label.claimed_time":                              {"署名者が主張する時刻（未証明）", "Time claimed by the signer (unproven)"},
	"verify.label.timestamp":                                 {"タイムスタンプ", "Timestamp"},
	"verify.label.timestamp_trusted":                         {"%s（%s、信頼できる）", "%s (%s, trusted)"},
	"verify.label.timestamp_untrusted":                       {"%s（%s、信頼できないため証明になりません）", "%s (%s, not trusted: no proof)"},
	"verify.label.coverage":                                  {"署名の範囲", "Coverage"},
	"verify.label.whole":                                     {"ファイル全体", "the whole file"},
	"verify.label.revision":                                  {"先頭から %d バイト（以前の版）", "the first %d bytes (an earlier version)"},
	"verify.label.changes":                                   {"署名後の変更", "Changes after signing"},
	"verify.label.anchor":                                    {"信頼点", "Trust anchor"},
	"verify.label.anchor_none":                               {"なし", "none"},
	"verify.label.revocation":                                {"失効確認", "Revocation"},
	"verify.label.reason":                                    {"理由", "Reason"},
	"verify.label.location":                                  {"場所", "Location"},
	"verify.label.errors":                                    {"問題", "Problems"},
	"verify.label.warnings":                                  {"注意", "Warnings"},
	"verify.changes.none":                                    {"なし", "none"},
	"verify.changes.allowed":                                 {"許された変更のみ", "allowed changes only"},
	"verify.changes.disallowed":                              {"許されない変更あり", "disallowed changes"},
	"verify.changes.unknown":                                 {"不明（解析できません）", "unknown (cannot be analysed)"},
	"verify.rev.not_checked":                                 {"確認していません", "not checked"},
	"verify.rev.good":                                        {"失効していません（%s）", "not revoked (%s)"},
	"verify.rev.revoked":                                     {"失効しています（%s）", "revoked (%s)"},
	"verify.rev.unknown":                                     {"判断できません（%s）", "cannot tell (%s)"},
	"verify.extracted":                                       {"署名 %d が対象とする版（%d バイト）を %s に書き出しました。", "Wrote the version signature %d covers (%d bytes) to %s."},
}
