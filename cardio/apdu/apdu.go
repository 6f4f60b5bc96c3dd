// Package apdu encodes short ISO 7816-4 command APDUs, decodes status words in
// one place, and exchanges commands over a Transport, handling the T=0 style
// answers 61xx (fetch with GET RESPONSE) and 6Cxx (resend with the right Le).
package apdu

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/shomei-app/shomei/cardio"
)

// Transport carries one raw command APDU to the card and returns its raw
// answer (data followed by the two status bytes). The PC/SC connection, the
// virtual card and test doubles implement it.
type Transport interface {
	Transmit(cmd []byte) ([]byte, error)
}

// Command is a short APDU. Le < 0 means no Le field; Le 256 is encoded as 00.
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Le               int
}

// NoLe marks a command without an Le field.
const NoLe = -1

// Bytes encodes c as a short APDU.
func (c Command) Bytes() ([]byte, error) {
	if len(c.Data) > 255 {
		return nil, fmt.Errorf("apdu: %d data bytes do not fit a short APDU", len(c.Data))
	}
	if c.Le > 256 {
		return nil, fmt.Errorf("apdu: Le %d does not fit a short APDU", c.Le)
	}
	b := make([]byte, 0, 5+len(c.Data)+1)
	b = append(b, c.CLA, c.INS, c.P1, c.P2)
	if len(c.Data) > 0 {
		b = append(b, byte(len(c.Data)))
		b = append(b, c.Data...)
	}
	if c.Le >= 0 {
		b = append(b, byte(c.Le)) // 256 encodes as 00
	}
	return b, nil
}

// SW is a status word.
type SW uint16

const (
	SWOK                 SW = 0x9000
	SWEndOfFile          SW = 0x6282
	SWWrongLength        SW = 0x6700
	SWSecurityNotSat     SW = 0x6982
	SWAuthBlocked        SW = 0x6983
	SWRefDataUnusable    SW = 0x6984
	SWCondNotSatisfied   SW = 0x6985
	SWNoCurrentEF        SW = 0x6986
	SWWrongData          SW = 0x6A80
	SWFuncNotSupported   SW = 0x6A81
	SWFileNotFound       SW = 0x6A82
	SWIncorrectP1P2      SW = 0x6A86
	SWRefDataNotFound    SW = 0x6A88
	SWWrongP1P2          SW = 0x6B00
	SWINSNotSupported    SW = 0x6D00
	SWCLANotSupported    SW = 0x6E00
	SWUnknown            SW = 0x6F00
	SWMemoryFailure      SW = 0x6581
	SWVerifyFailedNoInfo SW = 0x6300
)

func (sw SW) String() string { return fmt.Sprintf("%04X", uint16(sw)) }

// OK reports whether sw is 90 00.
func (sw SW) OK() bool { return sw == SWOK }

// Counter reports the x of 63 Cx: the tries left after a VERIFY.
func (sw SW) Counter() (int, bool) {
	if sw&0xFFF0 == 0x63C0 {
		return int(sw & 0x0F), true
	}
	return 0, false
}

// Blocked reports whether sw says a PIN is blocked: 63 C0, 69 83 or 69 84.
func (sw SW) Blocked() bool {
	return sw == 0x63C0 || sw == SWAuthBlocked || sw == SWRefDataUnusable
}

// Response is a decoded answer.
type Response struct {
	Data []byte
	SW   SW
}

// StatusError is a status word other than 90 00 returned by an operation. It
// is wrapped into a cardio.Error by Check.
type StatusError struct {
	SW SW
}

func (e *StatusError) Error() string {
	return "card answered " + e.SW.String() + " (" + describe(e.SW) + ")"
}

func describe(sw SW) string {
	switch {
	case sw == SWOK:
		return "success"
	case sw == SWWrongLength:
		return "wrong length"
	case sw == SWSecurityNotSat:
		return "security status not satisfied"
	case sw.Blocked():
		return "authentication method blocked"
	case sw == SWCondNotSatisfied:
		return "conditions of use not satisfied"
	case sw == SWNoCurrentEF:
		return "command not allowed, no current EF"
	case sw == SWWrongData:
		return "incorrect data"
	case sw == SWFileNotFound:
		return "file or application not found"
	case sw == SWIncorrectP1P2, sw == SWWrongP1P2:
		return "incorrect parameters"
	case sw == SWINSNotSupported:
		return "instruction not supported"
	case sw == SWCLANotSupported:
		return "class not supported"
	}
	if n, ok := sw.Counter(); ok {
		return fmt.Sprintf("verification failed, %d tries left", n)
	}
	return "unexpected status"
}

// Check turns a non-9000 status into a cardio.Error with a code chosen here,
// once, for the whole project.
func (r Response) Check(op string) error {
	if r.SW.OK() {
		return nil
	}
	return cardio.E(CodeFor(r.SW), op, &StatusError{SW: r.SW})
}

// CodeFor maps a status word to the card layer's error code.
func CodeFor(sw SW) cardio.Code {
	switch {
	case sw.OK():
		return ""
	case sw.Blocked():
		return cardio.CodePINLocked
	case sw == SWSecurityNotSat, sw == SWCondNotSatisfied:
		return cardio.CodeAccessDenied
	case sw == SWINSNotSupported, sw == SWFuncNotSupported, sw == SWCLANotSupported:
		return cardio.CodeUnsupported
	}
	// 63 Cx is a PIN outcome only in answer to a PIN command; those read the
	// counter themselves. Anywhere else it makes no sense.
	return cardio.CodeProtocol
}

// NoData fails when an answer that must be empty carries data: a sign of a
// confused card or reader, never to be ignored.
func (r Response) NoData(op string) error {
	if len(r.Data) != 0 {
		return cardio.E(cardio.CodeProtocol, op, fmt.Errorf("unexpected %d data bytes with %s", len(r.Data), r.SW))
	}
	return nil
}

// Client sends commands over a Transport. It handles 61xx and 6Cxx, and
// counts the APDUs it puts on the wire (for benchmarks and tests).
type Client struct {
	T     Transport
	count atomic.Int64
}

// NewClient wraps t.
func NewClient(t Transport) *Client { return &Client{T: t} }

// Count is the number of APDUs sent so far, GET RESPONSE and resends included.
func (c *Client) Count() int64 { return c.count.Load() }

// maxResponse bounds the data we accept through 61xx chaining; no JPKI answer
// comes near it, and it stops a card that answers 61xx forever.
const maxResponse = 64 * 1024

// Do sends cmd and returns the complete answer.
func (c *Client) Do(cmd Command) (Response, error) {
	raw, err := cmd.Bytes()
	if err != nil {
		return Response{}, cardio.E(cardio.CodeProtocol, "encode", err)
	}
	resp, err := c.roundTrip(raw)
	if err != nil {
		return Response{}, err
	}
	// 6Cxx: wrong Le, resend once with the Le the card asks for.
	if resp.SW&0xFF00 == 0x6C00 {
		fixed := cmd
		fixed.Le = int(resp.SW & 0xFF)
		if fixed.Le == 0 {
			fixed.Le = 256
		}
		raw, _ = fixed.Bytes()
		if resp, err = c.roundTrip(raw); err != nil {
			return Response{}, err
		}
		if resp.SW&0xFF00 == 0x6C00 {
			return Response{}, cardio.E(cardio.CodeProtocol, "transmit", errors.New("card asked twice for a different Le"))
		}
	}
	// 61xx: more data waiting; fetch it with GET RESPONSE until done.
	data := resp.Data
	for resp.SW&0xFF00 == 0x6100 {
		le := int(resp.SW & 0xFF)
		if le == 0 {
			le = 256
		}
		raw, _ = Command{CLA: 0x00, INS: 0xC0, Le: le}.Bytes()
		if resp, err = c.roundTrip(raw); err != nil {
			return Response{}, err
		}
		data = append(data, resp.Data...)
		if len(data) > maxResponse {
			return Response{}, cardio.E(cardio.CodeProtocol, "transmit", errors.New("response chaining does not end"))
		}
	}
	resp.Data = data
	return resp, nil
}

func (c *Client) roundTrip(raw []byte) (Response, error) {
	c.count.Add(1)
	out, err := c.T.Transmit(raw)
	if err != nil {
		return Response{}, cardio.Wrap("transmit", err)
	}
	if len(out) < 2 {
		return Response{}, cardio.E(cardio.CodeProtocol, "transmit", fmt.Errorf("answer of %d bytes has no status word", len(out)))
	}
	n := len(out) - 2
	data := make([]byte, n)
	copy(data, out[:n])
	return Response{Data: data, SW: SW(uint16(out[n])<<8 | uint16(out[n+1]))}, nil
}

// Parse decodes a raw command APDU (short form only), for the card side.
func Parse(raw []byte) (Command, error) {
	if len(raw) < 4 {
		return Command{}, errors.New("apdu: shorter than a header")
	}
	c := Command{CLA: raw[0], INS: raw[1], P1: raw[2], P2: raw[3], Le: NoLe}
	body := raw[4:]
	switch {
	case len(body) == 0: // case 1
	case len(body) == 1: // case 2
		c.Le = int(body[0])
		if c.Le == 0 {
			c.Le = 256
		}
	default:
		if body[0] == 0 {
			return Command{}, errors.New("apdu: extended length is not supported")
		}
		lc := int(body[0])
		switch len(body) {
		case 1 + lc: // case 3
		case 2 + lc: // case 4
			c.Le = int(body[1+lc])
			if c.Le == 0 {
				c.Le = 256
			}
		default:
			return Command{}, fmt.Errorf("apdu: Lc %d does not match %d body bytes", lc, len(body))
		}
		c.Data = body[1 : 1+lc]
	}
	return c, nil
}
