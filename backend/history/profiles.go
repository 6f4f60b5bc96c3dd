package history

// Events of the receiving systems' formats. The 登記 PDF is an ordinary
// KindSign event with format "pdf-pkcs7-touki".
const (
	KindSignEgov   = "sign_egov"   // an e-Gov package: dir, output, zip, files, kousei_sha256, signer, test_card
	KindSignDigest = "sign_digest" // digests handed over by another program: count, key (sign | auth), test_card
)

// EgovSigned is the event of an e-Gov package signed (outcome "ok") or not
// (an error code). out, zip and kouseiSHA256 are empty when nothing was
// written; signer is the holder's name only.
func EgovSigned(dir, out, zip string, files []string, kouseiSHA256, signer string, testCard bool, outcome string) Event {
	names := make([]any, len(files))
	for i, f := range files {
		names[i] = f
	}
	data := map[string]any{"dir": dir, "files": names, "test_card": testCard}
	for k, v := range map[string]string{"output": out, "zip": zip, "kousei_sha256": kouseiSHA256, "signer": signer} {
		if v != "" {
			data[k] = v
		}
	}
	return Event{Kind: KindSignEgov, Outcome: outcome, Data: data}
}

// DigestsSigned is the event of digests signed for another program: how
// many and with which key, not the digests (they mean nothing to the
// person reading the history and could link services).
func DigestsSigned(count int, key string, testCard bool, outcome string) Event {
	return Event{Kind: KindSignDigest, Outcome: outcome, Data: map[string]any{"count": count, "key": key, "test_card": testCard}}
}
