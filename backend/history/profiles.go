package history

import "path/filepath"

// Events of the receiving systems' formats. The 登記 PDF is an ordinary
// KindSign event with format "pdf-pkcs7-touki".
const (
	KindSignEgov   = "sign_egov"   // an e-Gov package: dir, output, zip, files, kousei_sha256, signer, test_card
	KindSignDigest = "sign_digest" // digests handed over by another program: count, key (sign | auth), test_card
)

// EgovRun is an e-Gov package signed or not: the application folder (Dir,
// and Source, what the person chose: the folder, or its zip), the signed
// folder and its zip, the files kousei.xml names, who signed.
type EgovRun struct {
	Dir, Source  string
	Output, Zip  string // the signed folder and its zip; empty when nothing was written
	Paths        bool   // the person's own files: their paths are kept
	Ref          string // the browser UI's reference to the zip
	Files        []string
	KouseiSHA256 string
	Signer       string // the holder's name only
	TestCard     bool
	Err          error
}

// EgovSigned is the event of an e-Gov package signed (outcome "ok") or not
// (an error code).
func EgovSigned(r EgovRun) Event {
	data := map[string]any{"dir": filepath.Base(r.Dir), "files": anyList(r.Files), "test_card": r.TestCard}
	if r.Paths && r.Source != "" {
		data["path"] = abs(r.Source)
	}
	if r.Signer != "" {
		data["signer"] = r.Signer
	}
	if r.Err != nil {
		return Failed(KindSignEgov, data, r.Err)
	}
	data["output"] = filepath.Base(r.Output)
	Written{Path: r.Zip, Paths: r.Paths, Ref: r.Ref}.Put(data, "zip")
	data["kousei_sha256"] = r.KouseiSHA256
	return Event{Kind: KindSignEgov, Outcome: OutcomeOK, Data: data}
}

// DigestsSigned is the event of digests signed for another program: how
// many and with which key, not the digests (they mean nothing to the
// person reading the history and could link services).
func DigestsSigned(count int, key string, testCard bool, outcome string) Event {
	return Event{Kind: KindSignDigest, Outcome: outcome, Data: map[string]any{"count": count, "key": key, "test_card": testCard}}
}
