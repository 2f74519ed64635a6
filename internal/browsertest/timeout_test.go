package browsertest

import (
	"testing"
	"time"
)

func TestDefaultTimeout(t *testing.T) {
	for _, tt := range []struct {
		env     string
		want    time.Duration
		wantErr bool
	}{
		{"", 5 * time.Minute, false},
		{"10m", 10 * time.Minute, false},
		{" 90s ", 90 * time.Second, false},
		{"ten", 0, true},
		{"0s", 0, true},
		{"-1m", 0, true},
	} {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv(TimeoutVariable, tt.env)
			got, err := DefaultTimeout()
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error: %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
