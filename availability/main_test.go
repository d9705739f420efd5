package availability

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		stateChild(dir) // the child of TestStateDirSurvivesSIGKILL: runs until killed
		return
	}
	goleak.VerifyTestMain(m)
}
