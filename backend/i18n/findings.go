package i18n

// What the verifier found, by finding code (backend/verify/finding): the
// technical lines of a report (problems, warnings, why revocation could not
// be decided). Every value is a string (%s): names and numbers from the
// document or a certificate, shown as data.

func init() {
	for k, v := range findingCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		catalog[k] = v
	}
}

var findingCatalog = map[string]text{
	"verify.finding.byterange_shape":      {"署名の範囲（ByteRange）が 2 つの範囲になっていません。", "The signature's ByteRange does not hold two ranges."},
	"verify.finding.byterange_outside":    {"署名の範囲（ByteRange）の値がファイル（%s バイト）の外を指しています。", "The ByteRange values lie outside the file (%s bytes)."},
	"verify.finding.byterange_start":      {"署名の範囲（ByteRange）がファイルの先頭から始まっていません。", "The ByteRange does not start at the beginning of the file."},
	"verify.finding.byterange_inverted":   {"署名の範囲（ByteRange）が逆順か空です。", "The ByteRange ranges are inverted or empty."},
	"verify.finding.byterange_past_end":   {"署名の範囲（ByteRange）が %s バイト目で終わり、ファイル（%s バイト）を越えています。", "The ByteRange ends at byte %s, past the end of the file (%s bytes)."},
	"verify.finding.contents_not_own":     {"署名値（/Contents）がその署名辞書自身の文字列ではないため、署名の範囲の切れ目になれません。", "The signature value (/Contents) is not a string of its own dictionary, so it cannot be the gap in the signed range."},
	"verify.finding.sig_not_object":       {"署名辞書が独立したオブジェクトではないため、署名値を範囲の切れ目として確かめられません。", "The signature dictionary is not an object of its own, so its value cannot be the gap in the signed range."},
	"verify.finding.sig_in_object_stream": {"署名辞書が圧縮されたオブジェクトストリームの中にあるため、署名値を範囲の切れ目として確かめられません。", "The signature dictionary is inside a compressed object stream, so its value cannot be the gap in the signed range."},
	"verify.finding.gap_not_contents":     {"署名の範囲の切れ目 [%s, %s) が、署名値の文字列 [%s, %s) と一致しません。", "The gap [%s, %s) in the signed range is not the signature value's string [%s, %s)."},
	"verify.finding.ranges_outside":       {"署名された範囲がファイルの中に収まっていません。", "The signed ranges are not inside the file."},
	"verify.finding.not_revision_end":     {"署名された範囲が、文書の版の終わり（%EOF）で終わっていません。", "The signed bytes do not end where a version of the document ends (%EOF)."},

	"verify.finding.cms_unreadable":             {"署名データ（CMS）を解析できません。", "The signature data (CMS) cannot be parsed."},
	"verify.finding.doc_timestamp_imprint":      {"文書タイムスタンプの対象（メッセージインプリント）が文書と一致しません。", "The document timestamp's message imprint does not match the document."},
	"verify.finding.sha1_digest":                {"署名された SHA-1 ダイジェストが文書と一致しません。", "The signed SHA-1 digest does not match the document."},
	"verify.finding.digest_mismatch":            {"文書のダイジェストが署名されたものと一致しません。", "The document's digest does not match the signed one."},
	"verify.finding.signature_invalid":          {"署名値が証明書の鍵で検証できません。", "The signature value does not verify with the certificate's key."},
	"verify.finding.cert_binding":               {"署名が指定する証明書（signing-certificate 属性）が、同梱の証明書と一致しません。", "The signing-certificate attribute names another certificate than the one included."},
	"verify.finding.unsupported_digest":         {"対応していないダイジェストアルゴリズム（%s）です。", "The digest algorithm (%s) is not supported."},
	"verify.finding.signer_cert_missing":        {"署名者の証明書が署名に含まれていません。", "The signer's certificate is not included in the signature."},
	"verify.finding.data_needed":                {"署名とは別のファイルに署名する形式です。署名されたファイルが必要です。", "This signature is detached: the signed file is needed."},
	"verify.finding.data_unreadable":            {"署名されたデータを読めません。", "The signed data cannot be read."},
	"verify.finding.attrs_unreadable":           {"署名属性を解析できません。", "The signed attributes cannot be parsed."},
	"verify.finding.attrs_no_content_type":      {"署名属性に contentType がありません。", "The signed attributes lack contentType."},
	"verify.finding.attrs_not_der":              {"署名属性が DER の順序になっていません。並べ直した属性でのみ検証できます。", "The signed attributes are not in DER order: the signature verifies only over the re-sorted set."},
	"verify.finding.cert_malformed":             {"署名に含まれる証明書の形式が壊れています。", "A certificate in the signature is malformed."},
	"verify.finding.auth_certificate":           {"公的個人認証の利用者証明用電子証明書で署名されています。この証明書は文書への署名用ではなく、氏名も含みません。", "Signed with a JPKI user-authentication certificate, which is not for document signatures and names no one."},
	"verify.finding.timestamp_untrusted":        {"署名タイムスタンプが信頼できないため、その時刻は証明になりません。", "The signature timestamp is not trusted: its time is no proof."},
	"verify.finding.timestamp_token_unreadable": {"タイムスタンプトークンを解析できません。", "The timestamp token cannot be parsed."},
	"verify.finding.timestamp_info_unreadable":  {"タイムスタンプの内容（TSTInfo）を解析できません。", "The timestamp's content (TSTInfo) cannot be parsed."},
	"verify.finding.timestamp_imprint":          {"タイムスタンプの対象（メッセージインプリント）が署名値と一致しません。", "The timestamp's imprint does not match the signature value."},
	"verify.finding.timestamp_token_signature":  {"タイムスタンプトークンの署名が検証できません。", "The timestamp token's signature does not verify."},

	"verify.finding.no_signature":          {"署名が見つかりません。", "No signature was found."},
	"verify.finding.pdf_unreadable":        {"PDF の構造を読めません。", "The PDF's structure cannot be read."},
	"verify.finding.cms_too_large":         {"%s MB を超える署名ファイル（CMS）には対応していません。", "CMS signature files larger than %s MB are not supported."},
	"verify.finding.not_a_signature":       {"PDF でも署名データ（CMS）でもありません。", "This is neither a PDF nor a CMS signature."},
	"verify.finding.file_read_error":       {"ファイルを読み込めませんでした。", "The file could not be read."},
	"verify.finding.data_mismatch":         {"%s は署名に埋め込まれた内容（SHA-256 %s、%s バイト）と一致しません。このファイルは署名されていません。", "%s is not the content embedded in the signature (SHA-256 %s, %s bytes): it was not signed."},
	"verify.finding.data_file_unreadable":  {"署名されたデータとして指定されたファイル（%s）を読めません。", "The file named as the signed data (%s) cannot be read."},
	"verify.finding.detached_without_data": {"署名とは別のファイルに署名する形式です。署名されたファイルを指定してください（--data）。", "A detached signature: the signed file is needed (--data FILE)."},

	"verify.finding.xmldsig_profile":    {"XML 署名が、正確に検証できる形式の範囲外です。", "The XML signature is outside the form Shomei can check exactly."},
	"verify.finding.xmldsig_unreadable": {"構成情報（kousei.xml）を読めません。", "The kousei.xml cannot be read."},
	"verify.finding.xmldsig_problem":    {"XML 署名の形式、参照または署名値に問題があります。", "The XML signature's form, a reference or its value has a problem."},

	"verify.finding.no_chain":                   {"「%s」から信頼の起点までの証明書のつながりが見つかりません（発行者「%s」）。", "No path from \"%s\" to a trust anchor (issuer \"%s\")."},
	"verify.finding.issuer_old_version":         {"「%s」はバージョン %s の証明書なので、認証局の証明書にはなれません。", "\"%s\" is a version %s certificate: it cannot be a CA certificate."},
	"verify.finding.issuer_not_ca":              {"「%s」は認証局の証明書ではありません。", "\"%s\" is not a CA certificate."},
	"verify.finding.issuer_key_costly":          {"「%s」の鍵は検証できる大きさを超えています。", "The key of \"%s\" is larger than any Shomei checks."},
	"verify.finding.issuer_no_cert_sign":        {"「%s」は証明書に署名することを許されていません（鍵用途）。", "\"%s\" may not sign certificates (KeyUsage)."},
	"verify.finding.chain_signature":            {"「%s」への署名が「%s」の鍵で検証できません。", "The signature on \"%s\" does not verify with the key of \"%s\"."},
	"verify.finding.path_length":                {"「%s」を経由するつながりは、パス長の制約より長くなります。", "The path through \"%s\" is longer than a pathLenConstraint allows."},
	"verify.finding.path_budget":                {"証明書のつながりの探索を %s 回の確認で打ち切りました。", "Path building stopped after %s issuer checks."},
	"verify.finding.cert_not_yet_valid":         {"証明書「%s」の有効期間は %s からで、確認した時刻 %s より後です。", "Certificate \"%s\" is valid from %s, after %s."},
	"verify.finding.ca_not_yet_valid":           {"認証局の証明書「%s」の有効期間は %s からで、確認した時刻 %s より後です。", "CA certificate \"%s\" is valid from %s, after %s."},
	"verify.finding.cert_expired":               {"証明書「%s」は %s に期限が切れており、確認した時刻 %s より前です。", "Certificate \"%s\" expired on %s, before %s."},
	"verify.finding.ca_expired":                 {"認証局の証明書「%s」は %s に期限が切れており、確認した時刻 %s より前です。", "CA certificate \"%s\" expired on %s, before %s."},
	"verify.finding.key_usage":                  {"「%s」の鍵用途は、署名（digitalSignature・nonRepudiation）を許していません。", "The KeyUsage of \"%s\" allows neither digitalSignature nor nonRepudiation."},
	"verify.finding.no_timestamping_usage":      {"「%s」にはタイムスタンプ用の拡張鍵用途がなく、タイムスタンプ局の証明書ではありません。", "\"%s\" has no timeStamping ExtendedKeyUsage: it is not a time-stamping authority certificate."},
	"verify.finding.tsa_usage_not_critical":     {"タイムスタンプ局の証明書の拡張鍵用途が critical ではありません（RFC 3161 は critical を求めています）。", "The TSA certificate's ExtendedKeyUsage is not critical (RFC 3161 asks for it to be)."},
	"verify.finding.tsa_usage_extra":            {"タイムスタンプ局の証明書の拡張鍵用途に、タイムスタンプ以外の用途も含まれています（RFC 3161 はそれだけを求めています）。", "The TSA certificate's ExtendedKeyUsage lists more than timeStamping (RFC 3161 asks for it alone)."},
	"verify.finding.no_document_signing_usage":  {"「%s」の拡張鍵用途に文書署名の用途がありません（必須とはしていないため、判定には使っていません）。", "\"%s\" carries an ExtendedKeyUsage without a document-signing purpose; Shomei does not require one and did not enforce it."},
	"verify.finding.sha1_certificate":           {"「%s」は SHA-1 で署名されています。", "\"%s\" is signed with SHA-1."},
	"verify.finding.unknown_critical_extension": {"「%s」には確認していない critical 拡張（%s）があります。", "\"%s\" has a critical extension Shomei does not check (%s)."},
	"verify.finding.revoked":                    {"「%s」は %s に失効しています（理由: %s、失効リスト: %s）。", "\"%s\" was revoked on %s (%s), per %s."},

	"verify.finding.rev_anchor":             {"証明書そのものが信頼の起点なので、失効を確認する対象はありません。", "The certificate is itself a trust anchor: nothing above it can revoke it."},
	"verify.finding.rev_no_issuer":          {"発行者を確認できないため、失効を判断できません。", "No verified issuer, so revocation cannot be decided."},
	"verify.finding.rev_issuer_unknown":     {"発行者が分からないため、失効リストの署名を確認できません。", "The issuer is not known, so no CRL signature can be checked."},
	"verify.finding.rev_no_crl":             {"「%s」が発行した失効リストがありません。", "No CRL from \"%s\"."},
	"verify.finding.rev_crl_not_signed":     {"失効リスト %s は発行者の鍵で署名されていません。", "The CRL %s is not signed by the issuer's key."},
	"verify.finding.rev_crl_old":            {"失効リスト %s は確認した時刻（%s）より古いものです。", "The CRL %s is older than the time checked (%s)."},
	"verify.finding.rev_crl_after_expiry":   {"失効リスト %s は証明書の期限が切れた後のもので、期限切れの証明書は載っていません。", "The CRL %s was issued after the certificate expired, when CAs no longer list it."},
	"verify.finding.rev_delta":              {"失効リスト %s は差分の失効リストです（対応していません。完全な失効リストを指定してください）。", "The CRL %s is a delta CRL (not supported: give the complete CRL)."},
	"verify.finding.rev_idp_unreadable":     {"失効リスト %s の配布点（issuingDistributionPoint）を解析できません。", "The issuingDistributionPoint of the CRL %s cannot be parsed."},
	"verify.finding.rev_indirect":           {"失効リスト %s は間接失効リストです（対応していません）。", "The CRL %s is an indirect CRL (not supported)."},
	"verify.finding.rev_some_reasons":       {"失効リスト %s は一部の失効理由だけのものです（対応していません）。", "The CRL %s covers some revocation reasons only (not supported)."},
	"verify.finding.rev_attribute_only":     {"失効リスト %s は属性証明書用です。", "The CRL %s is for attribute certificates."},
	"verify.finding.rev_ca_only":            {"失効リスト %s は認証局の証明書だけを対象にしています。", "The CRL %s is for CA certificates only."},
	"verify.finding.rev_user_only":          {"失効リスト %s は利用者の証明書だけを対象にしています。", "The CRL %s is for end-user certificates only."},
	"verify.finding.rev_partition":          {"失効リスト %s は、証明書が示すものとは別の配布点のものです。", "The CRL %s is for another distribution point (partition) than the certificate names."},
	"verify.finding.rev_critical_extension": {"失効リスト %s には確認していない critical 拡張（%s）があります。", "The CRL %s has a critical extension Shomei does not know (%s)."},
}
