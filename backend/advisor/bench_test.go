package advisor_test

import (
	"testing"

	"github.com/shomei-app/shomei/backend/advisor"
	"github.com/shomei-app/shomei/backend/i18n"
	"github.com/shomei-app/shomei/cardio/pin"
)

// One piece of advice with its sentences, for a locked signing password.
func BenchmarkAdvise(b *testing.B) {
	in := myNumberCard([]pin.ID{pin.Sign}, nil, allYes)
	for range b.N {
		advisor.Advise(in).Lines(i18n.JA)
	}
}
