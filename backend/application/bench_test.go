package application_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shomei-app/shomei/backend/application"
	"github.com/shomei-app/shomei/cardio/vcard/vcardtest"
)

// Collecting (hashing, JSON summaries) and signing a folder of 100 JSON
// documents of about 100 KB each, with the in-memory virtual card: one
// card operation for the whole set.
func BenchmarkFolder100(b *testing.B) {
	dir := b.TempDir()
	row := `{"項目":"値","番号":12345,"備考":"` + strings.Repeat("あ", 30) + `"},`
	body := "[" + strings.Repeat(row, 100<<10/len(row)) + `{"end":true}]`
	for i := 0; i < 100; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("form%03d.json", i)), []byte(body), 0o644)
	}
	g, _ := vcardtest.Signer(b)
	b.SetBytes(int64(100 * len(body)))
	b.ResetTimer()
	for range b.N {
		a, err := application.Collect([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := application.Sign(g, a, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
