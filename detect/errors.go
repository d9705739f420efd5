package detect

import "github.com/nines-sre/nines/internal/config"

// ErrInvalidConfig is wrapped by every error a constructor or option of
// this package returns for a bad setting; the message names the field and
// the value: "detect: invalid config: MADConfig.Window = 3: outside [5,
// 4096]".
var ErrInvalidConfig = config.New("detect")

func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}
