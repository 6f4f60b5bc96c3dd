package i18n

import (
	"github.com/shomei-app/shomei/internal/errs"
)

// errKeys names the sentence of each code whose key is not "err."+code.
var errKeys = map[errs.Code]string{
	errs.PINMismatch:        "change.mismatch",
	errs.NoTerminal:         "nopin.terminal",
	errs.ReadFailed:         "file.read_failed",
	errs.PDFUnreadable:      "file.pdf_unreadable",
	errs.PDFEncrypted:       "file.pdf_encrypted",
	errs.PDFCertified:       "file.pdf_certified",
	errs.PDFCertifyNotFirst: "file.pdf_certify_not_first",
	errs.PDFNoPage:          "file.pdf_no_page",
	errs.NoFont:             "file.no_font",
	errs.TimestampFailed:    "file.timestamp_failed",
	errs.WriteFailed:        "file.write_failed",
	errs.OutputExists:       "file.output_exists",
	errs.FormatUnavailable:  "file.format_unavailable",
	errs.NotSigned:          "file.not_signed",
	errs.FileChanged:        "file.file_changed",
	errs.DisclosureRefused:  "sign.disclosure.no",
	errs.BadStamp:           "api.bad_stamp",
	errs.TSAMissing:         "api.tsa_missing",
	errs.TSAURL:             "api.tsa_url",
	errs.UnsafeText:         "file.unsafe_text",
	errs.VerifyUnreadable:   "verify.unreadable",
	errs.VerifyChanged:      "verify.changed",
	errs.VerifyBadTrust:     "verify.trust.bad",
	errs.ExtractNoSuch:      "verify.extract.nosuch",
	errs.ExtractNotRevision: "verify.extract.notrevision",
	errs.ExtractFailed:      "verify.extract.failed",
	errs.CompareFailed:      "api.compare_failed",
	errs.OutputTaken:        "verify.extract.exists",
	errs.TrustFailed:        "trust.store.failed",
	errs.TrustCorrupt:       "trust.store.corrupt",
	errs.TrustNotFound:      "trust.remove.notfound",
	errs.TrustBadHex:        "trust.remove.badhex",
	errs.NotCertificate:     "trust.file.unreadable",
	errs.NoRoots:            "api.no_roots",
	errs.HistoryBusy:        "history.busy",
	errs.HistoryNewer:       "history.newer",
	errs.HistoryCorrupt:     "history.corrupt",
	errs.HistoryFailed:      "history.failed",
	errs.HistoryEmpty:       "history.none",
	errs.BadDate:            "history.date",
	errs.ExportFailed:       "history.export.failed",
	errs.ConsentRead:        "consent.err.read",
	errs.ConsentInvalid:     "consent.err.invalid",
	errs.NotAConsent:        "consent.err.not_consent",
	errs.ConsentChanged:     "api.consent.changed",
	errs.CertExpired:        "consent.err.cert_expired",
	errs.NotSigningCert:     "consent.err.not_signing",
	errs.NotConfirmed:       "counter.err.not_confirmed",
	errs.RealCard:           "counter.err.real_card",
	errs.NoPIN:              "counter.err.no_pin",
	errs.ResetCodeFormat:    "counter.code.format",
	errs.ResetCodeWrong:     "counter.err.wrong_code",
	errs.DeskNoCard:         "counter.err.no_card",
	errs.ResetUnsupported:   "counter.err.unsupported",
	errs.BadRequest:         "api.bad_request",
	errs.Busy:               "api.busy",
	errs.FileMissing:        "api.file_missing",
	errs.NoFiles:            "api.no_files",
	errs.PreviewTooLarge:    "api.preview_too_large",
	errs.NotHere:            "api.unsupported",
}

// uiKeys are the sentences the desktop and browser screens show instead,
// where the command line's sentence names a flag.
var uiKeys = map[errs.Code]string{
	errs.OutputExists: "api.output_exists",
}

func init() {
	for _, c := range []errs.Code{errs.ToukiTimestamp, errs.ToukiCertify, errs.ToukiNotPDF, errs.ToukiEarlier} {
		errKeys[c] = "file." + string(c)
	}
	for _, c := range []errs.Code{errs.EgovNoKousei, errs.EgovFileName, errs.EgovMissing, errs.EgovNoFiles, errs.EgovSigned,
		errs.EgovChanged, errs.EgovExists, errs.EgovInPlace, errs.EgovXML, errs.EgovDTD, errs.EgovTooLarge, errs.EgovProfile, errs.EgovZip} {
		errKeys[c] = "egov.err." + string(c)[len("egov_"):]
	}
	for _, c := range []errs.Code{errs.DigestHex, errs.DigestLength, errs.DigestNone, errs.DigestTooMany, errs.DigestFileSize} {
		errKeys[c] = "digest.err." + string(c)[len("digest_"):]
	}
	for _, c := range []errs.Code{errs.ApplicationEmpty, errs.ApplicationTooMany, errs.ApplicationSymlink,
		errs.ApplicationSpecial, errs.ApplicationSameName, errs.ApplicationJSON, errs.ApplicationXML,
		errs.ApplicationChanged, errs.ApplicationMissing, errs.ApplicationRead} {
		errKeys[c] = "app.err." + string(c)[len("application_"):]
	}
	add(map[string]text{
		"err.usage":                 {"コマンドの指定が正しくありません: %s\n使い方は「%s --help」で表示できます。", "The command line is not valid: %s\nSee \"%s --help\"."},
		"err.reader_not_found":      {"「%s」という名前のカードリーダーはありません。接続されているリーダー: %s", "There is no card reader named \"%s\". Readers connected: %s"},
		"err.reader_not_found.none": {"「%s」という名前のカードリーダーはありません。接続されているリーダーはありません。", "There is no card reader named \"%s\". No reader is connected."},
		"err.no_pin_input":          {"標準入力が暗証番号を読む前に終わりました。カードには何も送っていません。", "Standard input ended before a PIN was read. Nothing was sent to the card."},
		"err.input_missing":         {"ファイルが見つかりません。", "The file does not exist."},
		"err.input_is_directory":    {"フォルダーには署名できません。ファイルを指定してください。", "A folder cannot be signed: name a file."},
		"err.batch_refused":         {"%d 件のファイルに署名できないため、どのファイルにも署名していません。カードには何も送っていません。", "%d of the files cannot be signed, so none was signed. Nothing was sent to the card."},
		"err.bad_crl":               {"失効リストを読めません: %s", "Cannot read the revocation list: %s"},
		"err.bad_fingerprint":       {"指紋の形式が正しくありません。", "The fingerprint is not valid."},
		"err.fetch_failed":          {"証明書を取得できませんでした。接続を確認してください。何も変更していません。", "The certificates could not be fetched. Check the connection. Nothing was changed."},
		"err.decision_required":     {"同意するかどうかを --decision agree または --decision disagree で指定してください。", "Say whether you agree with --decision agree or --decision disagree."},
	})
}

// add merges sentences into the catalog (each file of this package keeps
// its family of sentences).
func add(m map[string]text) {
	for k, v := range m {
		catalog[k] = v
	}
}

// ErrorKey is the catalog key of code's sentence.
func ErrorKey(code errs.Code) string {
	if k, ok := errKeys[code]; ok {
		return k
	}
	return "err." + string(code)
}

// Error returns the sentence a person sees for err: chosen from its code
// (internal/errs) and formatted with its arguments; the cause is never
// shown. An error outside the vocabulary is "internal".
func Error(lang Lang, err error) string { return message(lang, errs.From(err), false) }

// UIError is Error for the desktop and browser screens.
func UIError(lang Lang, err error) string { return message(lang, errs.From(err), true) }

func message(lang Lang, e *errs.Error, ui bool) string {
	if e == nil {
		return ""
	}
	switch e.Code {
	case errs.PINWrong:
		if n, _ := errs.TriesLeft(e); n <= 1 {
			if n == 1 {
				return T(lang, "err.pin_wrong_one")
			}
			return T(lang, "err.pin_wrong_zero")
		}
	case errs.ReaderNotFound:
		if len(e.Args) < 2 || e.Args[1] == "" {
			return T(lang, "err.reader_not_found.none", e.Args[0])
		}
	}
	key := ErrorKey(e.Code)
	if ui {
		if k, ok := uiKeys[e.Code]; ok {
			key = k
		}
	}
	if !Has(key) {
		key = "err.internal"
	}
	args := e.Args
	if n := verbs(T(lang, key)); len(args) > n {
		args = args[:n]
	}
	return T(lang, key, args...)
}

// verbs counts the formatting verbs of a sentence.
func verbs(s string) int {
	n := 0
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			if s[i+1] == '%' {
				i++
				continue
			}
			n++
		}
	}
	return n
}

// Failure is an error as the --json output and the UI service report it:
// {"code","message"} and, for PIN outcomes, the tries left.
type Failure struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	TriesLeft *int   `json:"tries_left,omitempty"`
}

// FailureOf builds the report of err (ui: the screens' sentence).
func FailureOf(lang Lang, err error, ui bool) Failure {
	e := errs.From(err)
	f := Failure{Code: string(e.Code), Message: message(lang, e, ui)}
	if n, ok := errs.TriesLeft(e); ok {
		f.TriesLeft = &n
	}
	return f
}
