package integration

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ebfe/scard"

	"github.com/shomei-app/shomei/backend/cardsvc"
	"github.com/shomei-app/shomei/backend/signing"
	"github.com/shomei-app/shomei/cardio"
	"github.com/shomei-app/shomei/cardio/jpki"
	"github.com/shomei-app/shomei/cardio/pcsc"
	"github.com/shomei-app/shomei/cardio/pin"
	"github.com/shomei-app/shomei/cardio/vcard"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
	"github.com/shomei-app/shomei/internal/errs"
)

func service(t *testing.T) *cardsvc.Service {
	p := &cardsvc.PCSC{}
	t.Cleanup(p.Close)
	return cardsvc.New(p)
}

func secret(t *testing.T, id pin.ID, v string) *pin.Secret {
	s, err := pin.Parse(id, []byte(v))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Status through pcscd: every PIN with its tries, no try used.
func TestStatusThroughPCSC(t *testing.T) {
	need(t)
	card := vcardtest.New(t)
	insert(t, card)
	svc := service(t)
	st, err := svc.Status(readerInProc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Card.Kind != jpki.KindMyNumberCard || !st.TestCard || st.AuthCert == nil {
		t.Errorf("status %+v", st)
	}
	for id, want := range map[pin.ID]int{pin.Sign: 5, pin.Auth: 3, pin.Text: 3, pin.Juki: 3} {
		if p := st.PINs[id]; p.TriesLeft != want || p.Locked || !p.Available {
			t.Errorf("%s: %+v", id, p)
		}
		if card.State().Tries(id) != want {
			t.Errorf("%s: status used a try", id)
		}
	}
}

// A wrong PIN through pcscd uses exactly one try; the maximum locks; a locked PIN is refused without a try.
func TestWrongPINAndLock(t *testing.T) {
	need(t)
	card := vcardtest.New(t)
	insert(t, card)
	svc := service(t)
	for i := 0; i < 3; i++ {
		st, err := svc.Status(readerInProc)
		if err != nil {
			t.Fatal(err)
		}
		err = svc.ChangePIN(readerInProc, jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "9999"), Seen: st.Seen(pin.Auth), ConfirmLastTry: i == 2}, secret(t, pin.Auth, "5555"))
		var ce *cardio.Error
		if !errors.As(err, &ce) || ce.Code != cardio.CodePINWrong || ce.TriesLeft != 2-i {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if got := card.State().Tries(pin.Auth); got != 2-i {
			t.Fatalf("attempt %d: card counter %d", i, got)
		}
	}
	st, err := svc.Status(readerInProc)
	if err != nil || !st.PINs[pin.Auth].Locked {
		t.Fatalf("after 3 wrong: %+v %v", st.PINs[pin.Auth], err)
	}
	err = svc.ChangePIN(readerInProc, jpki.Attempt{PIN: pin.Auth, Secret: secret(t, pin.Auth, "1234"), Seen: st.Seen(pin.Auth), ConfirmLastTry: true}, secret(t, pin.Auth, "5555"))
	if !errors.Is(err, cardio.ErrPINLocked) {
		t.Fatalf("locked: %v", err)
	}
	// The other PINs are untouched.
	if card.State().Tries(pin.Sign) != 5 || card.State().Tries(pin.Text) != 3 {
		t.Error("another PIN's counter moved")
	}
}

// Changing a PIN through pcscd; the new one works, the old one does not.
func TestChangeThroughPCSC(t *testing.T) {
	need(t)
	card := vcardtest.New(t)
	insert(t, card)
	svc := service(t)
	st, _ := svc.Status(readerInProc)
	if err := svc.ChangePIN(readerInProc, jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "TEST1234"), Seen: st.Seen(pin.Sign)}, secret(t, pin.Sign, "NEWPASS77")); err != nil {
		t.Fatal(err)
	}
	st, _ = svc.Status(readerInProc)
	err := svc.WithSigner(readerInProc, jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "NEWPASS77"), Seen: st.Seen(pin.Sign)}, func(*jpki.Signer) error { return nil })
	if err != nil {
		t.Fatalf("new password: %v", err)
	}
}

// Signatures made through pcscd verify with the certificate read from the
// card, which chains to the CA certificate read from the card; one VERIFY
// serves them all.
func TestSignThroughPCSC(t *testing.T) {
	need(t)
	card := vcardtest.New(t)
	insert(t, card)
	svc := service(t)
	st, _ := svc.Status(readerInProc)
	var sigs [][]byte
	var cert *x509.Certificate
	err := svc.WithSigner(readerInProc, jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "TEST1234"), Seen: st.Seen(pin.Sign)}, func(g *jpki.Signer) error {
		cert = g.Certificate()
		for i := 0; i < 5; i++ {
			h := sha256.Sum256([]byte(fmt.Sprint("document ", i)))
			sig, err := g.Sign(nil, h[:], crypto.SHA256)
			if err != nil {
				return err
			}
			sigs = append(sigs, sig)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, sig := range sigs {
		h := sha256.Sum256([]byte(fmt.Sprint("document ", i)))
		if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, h[:], sig); err != nil {
			t.Errorf("signature %d: %v", i, err)
		}
	}
	// The CA certificate from EF 0002, read through pcscd, issued it.
	p := &cardsvc.PCSC{}
	defer p.Close()
	l, err := p.Open(readerInProc)
	if err != nil {
		t.Fatal(err)
	}
	ca, _, err := jpki.NewSession(l).ReadCertificate(jpki.EFSignCA)
	l.Close(false)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.CheckSignatureFrom(ca); err != nil {
		t.Errorf("signing certificate does not chain to the card's CA: %v", err)
	}
	if !bytes.Equal(cert.Raw, card.State().SignCertDER()) {
		t.Error("certificate read through pcscd differs from the card's")
	}
}

// Watch reports the card going in and out of the reader.
func TestInsertRemoveEvents(t *testing.T) {
	need(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := pcsc.Watch(ctx)
	// The initial state lists vpcd's readers.
	waitEvent(t, events, pcsc.ReaderAdded, readerInProc)
	remove := insert(t, vcardtest.New(t))
	ev := waitEvent(t, events, pcsc.CardInserted, readerInProc)
	if !bytes.Equal(ev.ATR, vcard.ATR) {
		t.Errorf("ATR %x", ev.ATR)
	}
	remove()
	waitEvent(t, events, pcsc.CardRemoved, readerInProc)
}

func waitEvent(t *testing.T, events <-chan pcsc.Event, kind pcsc.EventKind, reader string) pcsc.Event {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Kind == kind && ev.Reader == reader {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event for %s", kind, reader)
		}
	}
}

// vanishing pulls the card out of the reader when the n-th APDU arrives.
type vanishing struct {
	*vcard.Card
	n      atomic.Int64
	at     int64
	remove func()
}

func (v *vanishing) Transmit(cmd []byte) ([]byte, error) {
	if v.n.Add(1) == v.at {
		go v.remove()
		return nil, errors.New("card pulled out")
	}
	return v.Card.Transmit(cmd)
}

// Pulling the card out at any step of signing gives a typed error and costs no try.
func TestCardPulledOutMidFlow(t *testing.T) {
	need(t)
	for _, at := range []int64{1, 5, 12, 13, 15, 20, 21, 22, 23} {
		t.Run(fmt.Sprint("apdu", at), func(t *testing.T) {
			card := vcardtest.New(t)
			// Status first, with the card whole.
			remove := insert(t, card)
			svc := service(t)
			st, err := svc.Status(readerInProc)
			if err != nil {
				t.Fatal(err)
			}
			remove()
			v := &vanishing{Card: card, at: at}
			v.remove = insert(t, v)
			err = svc.WithSigner(readerInProc, jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "TEST1234"), Seen: st.Seen(pin.Sign)}, func(g *jpki.Signer) error {
				for i := 0; i < 3; i++ {
					h := sha256.Sum256([]byte{byte(i)})
					if _, err := g.Sign(nil, h[:], crypto.SHA256); err != nil {
						return err
					}
				}
				return nil
			})
			if v.n.Load() < at {
				t.Skipf("flow ended after %d APDUs", v.n.Load())
			}
			code := cardio.CodeOf(err)
			if err == nil || code == "" {
				t.Fatalf("err = %v (code %q)", err, code)
			}
			t.Logf("APDU %d: %s (%v)", at, code, err)
			if card.State().Tries(pin.Sign) != 5 {
				t.Errorf("a try was used: %d left", card.State().Tries(pin.Sign))
			}
		})
	}
}

// foreign is a smart card without the JPKI applet.
type foreign struct{}

func (foreign) ATR() []byte {
	return []byte{0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6A}
}
func (foreign) Reset() {}
func (foreign) Transmit([]byte) ([]byte, error) {
	return []byte{0x6A, 0x82}, nil
}

// A card without the JPKI applet is reported as not a My Number Card.
func TestForeignCard(t *testing.T) {
	need(t)
	insert(t, foreign{})
	_, err := service(t).Status(readerInProc)
	if !errors.Is(err, cardio.ErrNotMyNumberCard) {
		t.Fatalf("foreign card: %v", err)
	}
}

// An empty reader is "no card".
func TestEmptyReader(t *testing.T) {
	need(t)
	waitCard(t, readerInProc, false)
	_, err := service(t).Status(readerInProc)
	if !errors.Is(err, cardio.ErrNoCard) {
		t.Fatalf("empty reader: %v", err)
	}
	// A name that matches no reader says so and names the readers present
	// (a wrong --reader is not "no reader found" while readers exist).
	_, err = service(t).Status("No Such Reader 99")
	if errs.CodeOf(err) != errs.ReaderNotFound || !strings.Contains(fmt.Sprint(errs.From(err).Args...), readerInProc) {
		t.Fatalf("unknown reader: %v", err)
	}
}

// A reader held exclusively by another program is "reader busy", not a hang.
func TestReaderInUse(t *testing.T) {
	need(t)
	insert(t, vcardtest.New(t))
	ctx, err := scard.EstablishContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Release()
	other, err := ctx.Connect(readerInProc, scard.ShareExclusive, scard.ProtocolAny)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Disconnect(scard.LeaveCard)
	if _, err := service(t).Status(readerInProc); !errors.Is(err, cardio.ErrReaderBusy) {
		t.Fatalf("busy reader: %v", err)
	}
}

// The card pulled out in the middle of a batch, through pcscd: the first
// documents are signed and intact, the current one leaves nothing, the rest
// are reported as not signed, and no try is used.
func TestCardPulledOutMidBatch(t *testing.T) {
	need(t)
	card := vcardtest.New(t)
	remove := insert(t, card)
	svc := service(t)
	st, err := svc.Status(readerInProc)
	if err != nil {
		t.Fatal(err)
	}
	remove()
	dir := t.TempDir()
	var files []string
	for i := 0; i < 5; i++ {
		p := filepath.Join(dir, fmt.Sprintf("doc%d.txt", i))
		os.WriteFile(p, []byte(fmt.Sprint("document ", i)), 0o644)
		files = append(files, p)
	}
	v := &vanishing{Card: card, at: 23} // the third document's signature
	v.remove = insert(t, v)
	var results []signing.Result
	err = svc.WithSigner(readerInProc, jpki.SignKey, jpki.Attempt{PIN: pin.Sign, Secret: secret(t, pin.Sign, "TEST1234"), Seen: st.Seen(pin.Sign)}, func(g *jpki.Signer) error {
		results = signing.Files(context.Background(), g, files, signing.Options{}, nil)
		return nil
	})
	if err != nil {
		t.Logf("closing the session: %v", err)
	}
	for i, r := range results {
		_, statErr := os.Stat(files[i] + ".p7s")
		switch {
		case i < 2:
			if !r.OK() || statErr != nil {
				t.Errorf("doc %d: %v", i, r.Err)
			}
		case i == 2:
			if cardio.CodeOf(r.Err) != cardio.CodeCardRemoved || statErr == nil {
				t.Errorf("doc 2: %v (output exists: %v)", r.Err, statErr == nil)
			}
		default:
			if r.OK() || statErr == nil {
				t.Errorf("doc %d signed after the card left", i)
			}
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*partial"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if card.State().Tries(pin.Sign) != 5 {
		t.Error("a try was used")
	}
}
