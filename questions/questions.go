// Package questions embeds the shipped question banks and the mock exam
// blueprint, so the binary runs with them on a fresh machine.
package questions

import "embed"

// FS holds blueprint.yaml and banks/*.yaml. go:embed cannot reach outside
// its package's folder, which is why this file lives beside the banks.
//
//go:embed blueprint.yaml banks
var FS embed.FS
