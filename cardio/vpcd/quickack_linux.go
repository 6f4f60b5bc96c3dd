package vpcd

import (
	"net"

	"golang.org/x/sys/unix"
)

// quickAck asks the kernel to acknowledge received data at once. vpcd sends
// the length and the payload of each message in two writes; with Nagle on
// its side and delayed ACKs on ours every APDU would wait about 40 ms.
// TCP_QUICKACK is not sticky, so it is set again before every read.
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	if raw, err := tc.SyscallConn(); err == nil {
		raw.Control(func(fd uintptr) {
			unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_QUICKACK, 1)
		})
	}
}
