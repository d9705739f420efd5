package yamlcheck_test

import (
	"fmt"
	"strings"

	"github.com/nines-sre/nines/synthetic/yamlcheck"
)

func ExampleLoad() {
	checks, err := yamlcheck.Load(strings.NewReader(`
checks:
  - name: home
    steps:
      - name: get
        url: https://example.com/
        assert: [{status: 200}, {body_contains: Example}]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(checks[0].Name, checks[0].Steps[0].Name, len(checks[0].Steps[0].Assert))

	_, err = yamlcheck.Load(strings.NewReader(`
checks:
  - name: home
    steps:
      - name: get
        url: https://example.com/${session}
`))
	fmt.Println(err)
	// Output:
	// home get 2
	// checks[0]: synthetic: invalid config: check "home" step "get" URL = "${session}": refers to a value no Var defines and no earlier step extracts
}
