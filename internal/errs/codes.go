package errs

// The vocabulary. docs/errors.md lists every code with its meaning; a test
// keeps the two and backend/i18n in step. Never rename a code: add one.
const (
	Internal  Code = "internal"  // a fault of Shomei or the system; the cause is in the log
	Usage     Code = "usage"     // the command line is not valid
	Cancelled Code = "cancelled" // the person cancelled (Ctrl-C, "no"); nothing was sent to the card

	// The card layer (cardio).
	NoService       Code = "no_service"        // pcscd not running / PC/SC unavailable
	NoReader        Code = "no_reader"         // no reader attached
	ReaderNotFound  Code = "reader_not_found"  // no reader of the given name (args: name, readers present)
	NoCard          Code = "no_card"           // reader empty
	CardRemoved     Code = "card_removed"      // card pulled out during an operation
	CardReset       Code = "card_reset"        // another program reset the card
	ReaderBusy      Code = "reader_busy"       // another program holds the card exclusively
	Timeout         Code = "timeout"           // the reader or service did not answer in time
	NotMyNumberCard Code = "not_mynumber_card" // no JPKI applet on this card
	Protocol        Code = "card_protocol"     // the card answered something that makes no sense
	Transport       Code = "transport"         // any other reader / service failure
	AccessDenied    Code = "access_denied"     // the card refused (security status not satisfied)
	NoSigningCert   Code = "no_signing_cert"   // the card carries no signing certificate
	PINFormat       Code = "pin_format"        // the PIN does not have the required format; nothing was sent
	PINWrong        Code = "pin_wrong"         // the card rejected the PIN; one try was used (args: tries left)
	PINLocked       Code = "pin_locked"        // the PIN is blocked; nothing was sent
	PINLastTry      Code = "pin_last_try"      // one try left and not confirmed; nothing was sent
	CardChanged     Code = "card_changed"      // not the card whose state was shown; nothing was sent
	PINStateChanged Code = "pin_state_changed" // tries left differ from what was shown; nothing was sent (args: tries left)
	Unsupported     Code = "unsupported"       // the card does not support the operation
	PINMismatch     Code = "pin_mismatch"      // the new PIN typed twice differs; nothing was sent
	NoTerminal      Code = "no_terminal"       // a PIN or an answer is needed and there is no terminal to ask
	NoPINInput      Code = "no_pin_input"      // standard input ended before a PIN was read
	ChipData        Code = "chip_data_invalid" // the 券面 applets' data cannot be read as a card writes them (a forged or altered card)

	// Files to sign (backend/signing), per file.
	ReadFailed         Code = "read_failed"
	PDFUnreadable      Code = "pdf_unreadable"
	PDFEncrypted       Code = "pdf_encrypted"
	PDFCertified       Code = "pdf_certified"
	PDFCertifyNotFirst Code = "pdf_certify_not_first"
	PDFNoPage          Code = "pdf_no_page"
	NoFont             Code = "no_font"
	TimestampFailed    Code = "timestamp_failed"
	WriteFailed        Code = "write_failed"
	OutputExists       Code = "output_exists"
	FormatUnavailable  Code = "format_unavailable"
	NotSigned          Code = "not_signed"    // the batch stopped before this file
	BatchRefused       Code = "batch_refused" // files of the batch cannot be signed: nothing was sent to the card (args: how many)
	InputMissing       Code = "input_missing"
	InputIsDir         Code = "input_is_directory"
	FileChanged        Code = "file_changed" // the input was written to while it was signed; nothing was written
	DisclosureRefused  Code = "disclosure"   // the disclosure was not accepted; nothing was signed
	BadStamp           Code = "bad_stamp"    // a visible stamp's place or size is not valid
	TSAMissing         Code = "tsa_missing"  // B-T asked without a timestamp server
	TSAURL             Code = "tsa_url"      // the timestamp server is not an http(s) URL
	UnsafeText         Code = "unsafe_text"  // a reason or location with control or direction characters

	// The 登記 PDF profile's refusals (backend/touki), before the card.
	ToukiTimestamp Code = "touki_timestamp"
	ToukiCertify   Code = "touki_certify"
	ToukiNotPDF    Code = "touki_not_pdf"
	ToukiEarlier   Code = "touki_earlier_signature"

	// e-Gov packages (backend/egov), before the card unless said.
	EgovNoKousei Code = "egov_no_kousei" // the folder has no kousei.xml
	EgovFileName Code = "egov_file_name" // kousei.xml names a file outside the folder or an unusable name
	EgovMissing  Code = "egov_missing"   // a file kousei.xml names is not in the folder
	EgovNoFiles  Code = "egov_no_files"  // kousei.xml names no application file
	EgovSigned   Code = "egov_signed"    // kousei.xml is signed already
	EgovChanged  Code = "egov_changed"   // a file changed between what was shown and the copy; nothing written
	EgovExists   Code = "egov_exists"    // the output folder or zip exists
	EgovInPlace  Code = "egov_in_place"  // the output is the input folder or inside it
	EgovXML      Code = "egov_xml"       // not well-formed, or no 構成情報
	EgovDTD      Code = "egov_dtd"       // a DTD: refused
	EgovTooLarge Code = "egov_too_large" // too large or too deeply nested
	EgovProfile  Code = "egov_profile"   // a form Shomei cannot canonicalize exactly
	EgovZip      Code = "egov_zip"       // a zip that is not one application folder of plain files

	// Digests handed over (backend/digestsign), before the card.
	DigestHex      Code = "digest_hex"
	DigestLength   Code = "digest_length"
	DigestNone     Code = "digest_none"
	DigestTooMany  Code = "digest_too_many"
	DigestFileSize Code = "digest_file_size"

	// Verification (backend/verify).
	VerifyUnreadable   Code = "unreadable"            // the file could not be read as a signature
	VerifyBadTrust     Code = "bad_trust_file"        // a --trust file is not a certificate
	VerifyBadCRL       Code = "bad_crl"               // a --crl file is not a CRL
	VerifyChanged      Code = "changed_during_verify" // the file was written to while it was verified: no verdict
	ExtractNoSuch      Code = "no_such_revision"
	ExtractNotRevision Code = "not_a_revision"
	ExtractFailed      Code = "extract_failed"
	CompareFailed      Code = "compare_failed" // a page of the rendering comparison could not be drawn
	OutputTaken        Code = "output_taken"   // the output file exists and is never replaced

	// Trust anchors (backend/verify/trust).
	TrustFailed      Code = "trust_failed"
	TrustCorrupt     Code = "trust_corrupt"
	TrustNotFound    Code = "not_found"
	TrustBadHex      Code = "bad_fingerprint"
	NotCertificate   Code = "not_certificate"
	NoRoots          Code = "no_roots"
	TrustFetchFailed Code = "fetch_failed"

	// History (backend/history).
	HistoryBusy    Code = "history_busy"
	HistoryNewer   Code = "history_newer"
	HistoryCorrupt Code = "history_corrupt"
	HistoryFailed  Code = "history_failed"
	HistoryEmpty   Code = "history_empty"
	BadDate        Code = "bad_date"
	ExportFailed   Code = "export_failed"

	// Consent documents (backend/consent).
	ConsentRead      Code = "consent_read"
	ConsentInvalid   Code = "consent_invalid"
	NotAConsent      Code = "not_a_consent"
	ConsentChanged   Code = "consent_changed"
	CertExpired      Code = "cert_expired"
	NotSigningCert   Code = "not_signing_cert"
	DecisionRequired Code = "decision_required"

	// E-application (backend/application).
	ApplicationEmpty    Code = "application_empty"
	ApplicationTooMany  Code = "application_too_many"
	ApplicationSymlink  Code = "application_symlink"
	ApplicationSpecial  Code = "application_special"
	ApplicationSameName Code = "application_same_name"
	ApplicationJSON     Code = "application_json"
	ApplicationXML      Code = "application_xml"
	ApplicationChanged  Code = "application_changed"
	ApplicationMissing  Code = "application_missing"
	ApplicationRead     Code = "application_read"

	// The municipal desk (backend/desk).
	NotConfirmed     Code = "not_confirmed"
	RealCard         Code = "real_card"
	NoPIN            Code = "no_pin"
	ResetCodeFormat  Code = "reset_code_format"
	ResetCodeWrong   Code = "reset_code_wrong"  // args: the reset code's tries left
	DeskNoCard       Code = "desk_no_card"      // no JPKI card on the desk
	ResetUnsupported Code = "reset_unsupported" // the card takes no reset code: J-LIS's terminal

	// The virtual card (shomei vcard, a developer's tool).
	VCardConfig Code = "vcard_config" // args: the configuration file
	VCardState  Code = "vcard_state"  // args: the state folder
	VCardWrite  Code = "vcard_write"  // args: the file

	// The UI service.
	BadRequest      Code = "bad_request"
	Busy            Code = "busy"
	FileMissing     Code = "file_missing"
	NoFiles         Code = "no_files"
	PreviewTooLarge Code = "preview_too_large"
	NotHere         Code = "not_here"
)

// All lists every code, for the documentation and translation checks.
func All() []Code {
	return []Code{
		Internal, Usage, Cancelled,
		NoService, NoReader, ReaderNotFound, NoCard, CardRemoved, CardReset, ReaderBusy, Timeout,
		NotMyNumberCard, Protocol, Transport, AccessDenied, NoSigningCert, PINFormat, PINWrong,
		PINLocked, PINLastTry, CardChanged, PINStateChanged, Unsupported, PINMismatch, NoTerminal, NoPINInput, ChipData,
		ReadFailed, PDFUnreadable, PDFEncrypted, PDFCertified, PDFCertifyNotFirst, PDFNoPage, NoFont,
		TimestampFailed, WriteFailed, OutputExists, FormatUnavailable, NotSigned, BatchRefused, InputMissing, InputIsDir, FileChanged,
		DisclosureRefused, BadStamp, TSAMissing, TSAURL, UnsafeText, ToukiTimestamp, ToukiCertify, ToukiNotPDF, ToukiEarlier,
		EgovNoKousei, EgovFileName, EgovMissing, EgovNoFiles, EgovSigned, EgovChanged, EgovExists, EgovInPlace,
		EgovXML, EgovDTD, EgovTooLarge, EgovProfile, EgovZip,
		DigestHex, DigestLength, DigestNone, DigestTooMany, DigestFileSize,
		VerifyUnreadable, VerifyBadTrust, VerifyBadCRL, VerifyChanged, ExtractNoSuch, ExtractNotRevision, ExtractFailed, CompareFailed, OutputTaken,
		TrustFailed, TrustCorrupt, TrustNotFound, TrustBadHex, NotCertificate, NoRoots, TrustFetchFailed,
		HistoryBusy, HistoryNewer, HistoryCorrupt, HistoryFailed, HistoryEmpty, BadDate, ExportFailed,
		ConsentRead, ConsentInvalid, NotAConsent, ConsentChanged, CertExpired, NotSigningCert, DecisionRequired,
		ApplicationEmpty, ApplicationTooMany, ApplicationSymlink, ApplicationSpecial, ApplicationSameName,
		ApplicationJSON, ApplicationXML, ApplicationChanged, ApplicationMissing, ApplicationRead,
		NotConfirmed, RealCard, NoPIN, ResetCodeFormat, ResetCodeWrong, DeskNoCard, ResetUnsupported,
		VCardConfig, VCardState, VCardWrite,
		BadRequest, Busy, FileMissing, NoFiles, PreviewTooLarge, NotHere,
	}
}
