package desktop

import (
	"context"
	"io/fs"
	"time"

	"github.com/shomei-app/shomei/backend/cardsvc"
)

// Options start the desktop app.
type Options struct {
	Ctx     context.Context // ends the app (SIGINT, SIGTERM)
	Cards   *cardsvc.Service
	Assets  fs.FS     // the built UI
	DataDir string    // settings, history, trust anchors
	Started time.Time // when main began; the time-to-usable figure counts from exec where known (processStart)
}
