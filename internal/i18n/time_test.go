package i18n

import (
	"context"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	c := MustLoad()
	tests := []struct {
		d      time.Duration
		sv, en string
	}{
		{20 * time.Minute, "20 minuter", "20 minutes"},
		{time.Minute, "1 minut", "1 minute"},
		{90 * time.Minute, "1 timme 30 minuter", "1 hour 30 minutes"},
		{8 * time.Hour, "8 timmar", "8 hours"},
		{time.Hour, "1 timme", "1 hour"},
		{2*time.Hour + time.Minute, "2 timmar 1 minut", "2 hours 1 minute"},
		{24 * time.Hour, "1 dag", "1 day"},
		{49 * time.Hour, "2 dagar 1 timme", "2 days 1 hour"},
		{90 * time.Second, "1 minut 30 sekunder", "1 minute 30 seconds"},
		{time.Second, "1 sekund", "1 second"},
		{45 * time.Second, "45 sekunder", "45 seconds"},
		{20*time.Minute + 500*time.Millisecond, "20 minuter", "20 minutes"},
		{0, "0 sekunder", "0 seconds"},
		{-15 * time.Minute, "15 minuter", "15 minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			if got := c.Printer(Swedish).Duration(tt.d); got != tt.sv {
				t.Errorf("sv: got %q, want %q", got, tt.sv)
			}
			if got := c.Printer(English).Duration(tt.d); got != tt.en {
				t.Errorf("en: got %q, want %q", got, tt.en)
			}
		})
	}
	ctx := WithPrinter(context.Background(), c.Printer(English))
	if got := Duration(ctx, 20*time.Minute); got != "20 minutes" {
		t.Errorf("Duration from context = %q", got)
	}
}
