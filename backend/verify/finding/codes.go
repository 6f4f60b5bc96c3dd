package finding

// Codes, stable (the report's JSON carries them). The sentence of each is
// i18n "verify.finding.CODE"; the values a sentence names are in the order
// given here.
const (
	// The signature's byte range and the bytes it covers (pdfv).
	ByteRangeShape    = "byterange_shape"
	ByteRangeOutside  = "byterange_outside" // file size
	ByteRangeStart    = "byterange_start"
	ByteRangeInverted = "byterange_inverted"
	ByteRangePastEnd  = "byterange_past_end" // range end, file size
	ContentsNotOwn    = "contents_not_own"
	SigNotObject      = "sig_not_object"
	SigInObjStm       = "sig_in_object_stream"
	GapNotContents    = "gap_not_contents" // gap start, gap end, string start, string end
	RangesOutside     = "ranges_outside"
	NotRevisionEnd    = "not_revision_end"

	// The CMS signature (pdfv, cmsv, verify).
	CMSUnreadable     = "cms_unreadable"
	DocTSImprint      = "doc_timestamp_imprint"
	SHA1Digest        = "sha1_digest"
	DigestMismatch    = "digest_mismatch"
	SignatureInvalid  = "signature_invalid"
	CertBinding       = "cert_binding"
	UnsupportedDigest = "unsupported_digest" // algorithm OID
	SignerCertMissing = "signer_cert_missing"
	DataNeeded        = "data_needed"
	DataUnreadable    = "data_unreadable"
	AttrsUnreadable   = "attrs_unreadable"
	AttrsNoCType      = "attrs_no_content_type"
	AttrsNotDER       = "attrs_not_der"
	CertMalformed     = "cert_malformed"
	AuthCertificate   = "auth_certificate"

	// The signature timestamp (verify).
	TSUntrusted      = "timestamp_untrusted"
	TSTokenBroken    = "timestamp_token_unreadable"
	TSInfoBroken     = "timestamp_info_unreadable"
	TSImprint        = "timestamp_imprint"
	TSTokenSignature = "timestamp_token_signature"

	// The file as a whole (verify).
	NoSignature    = "no_signature"
	PDFUnreadable  = "pdf_unreadable"
	CMSTooLarge    = "cms_too_large" // limit in MB
	NotSigned      = "not_a_signature"
	FileReadError  = "file_read_error"
	DataMismatch   = "data_mismatch"        // file name, SHA-256, size
	DataNoFile     = "data_file_unreadable" // file name
	DetachedNoData = "detached_without_data"

	// e-Gov XML signatures (verify over package egov).
	XMLDSigProfile    = "xmldsig_profile"
	XMLDSigUnreadable = "xmldsig_unreadable"
	XMLDSigProblem    = "xmldsig_problem"

	// Certificate chains (trust). Subjects are certificate names.
	NoChain          = "no_chain"              // subject, issuer
	IssuerOldVersion = "issuer_old_version"    // subject, version
	IssuerNotCA      = "issuer_not_ca"         // subject
	IssuerKeyCostly  = "issuer_key_costly"     // subject
	IssuerNoCertSign = "issuer_no_cert_sign"   // subject
	ChainSignature   = "chain_signature"       // subject, issuer subject
	PathLength       = "path_length"           // subject
	PathBudget       = "path_budget"           // checks
	CertNotYetValid  = "cert_not_yet_valid"    // subject, valid from, time checked
	CANotYetValid    = "ca_not_yet_valid"      // subject, valid from, time checked
	CertExpired      = "cert_expired"          // subject, expiry, time checked
	CAExpired        = "ca_expired"            // subject, expiry, time checked
	KeyUsage         = "key_usage"             // subject
	NoTSAUsage       = "no_timestamping_usage" // subject
	TSAUsageCritical = "tsa_usage_not_critical"
	TSAUsageExtra    = "tsa_usage_extra"
	NoDocSigning     = "no_document_signing_usage"  // subject
	SHA1Cert         = "sha1_certificate"           // subject
	CriticalExt      = "unknown_critical_extension" // subject, OID
	Revoked          = "revoked"                    // subject, date, reason, CRL

	// Revocation checks (trust).
	RevAnchor         = "rev_anchor"
	RevNoIssuer       = "rev_no_issuer"
	RevIssuerUnknown  = "rev_issuer_unknown"
	RevNoCRL          = "rev_no_crl"             // issuer subject
	RevCRLNotSigned   = "rev_crl_not_signed"     // CRL
	RevCRLOld         = "rev_crl_old"            // CRL, time checked
	RevCRLAfterExpiry = "rev_crl_after_expiry"   // CRL
	RevDelta          = "rev_delta"              // CRL
	RevIDP            = "rev_idp_unreadable"     // CRL
	RevIndirect       = "rev_indirect"           // CRL
	RevSomeReasons    = "rev_some_reasons"       // CRL
	RevAttrOnly       = "rev_attribute_only"     // CRL
	RevCAOnly         = "rev_ca_only"            // CRL
	RevUserOnly       = "rev_user_only"          // CRL
	RevPartition      = "rev_partition"          // CRL
	RevCriticalExt    = "rev_critical_extension" // CRL, OID
)

// Codes lists every code (tests: each has a sentence in both languages).
var Codes = []string{
	ByteRangeShape, ByteRangeOutside, ByteRangeStart, ByteRangeInverted, ByteRangePastEnd, ContentsNotOwn, SigNotObject,
	SigInObjStm, GapNotContents, RangesOutside, NotRevisionEnd,
	CMSUnreadable, DocTSImprint, SHA1Digest, DigestMismatch, SignatureInvalid, CertBinding, UnsupportedDigest,
	SignerCertMissing, DataNeeded, DataUnreadable, AttrsUnreadable, AttrsNoCType, AttrsNotDER, CertMalformed, AuthCertificate,
	TSUntrusted, TSTokenBroken, TSInfoBroken, TSImprint, TSTokenSignature,
	NoSignature, PDFUnreadable, CMSTooLarge, NotSigned, FileReadError, DataMismatch, DataNoFile, DetachedNoData,
	XMLDSigProfile, XMLDSigUnreadable, XMLDSigProblem,
	NoChain, IssuerOldVersion, IssuerNotCA, IssuerKeyCostly, IssuerNoCertSign, ChainSignature, PathLength, PathBudget,
	CertNotYetValid, CANotYetValid, CertExpired, CAExpired, KeyUsage, NoTSAUsage, TSAUsageCritical, TSAUsageExtra,
	NoDocSigning, SHA1Cert, CriticalExt, Revoked,
	RevAnchor, RevNoIssuer, RevIssuerUnknown, RevNoCRL, RevCRLNotSigned, RevCRLOld, RevCRLAfterExpiry, RevDelta, RevIDP,
	RevIndirect, RevSomeReasons, RevAttrOnly, RevCAOnly, RevUserOnly, RevPartition, RevCriticalExt,
}
