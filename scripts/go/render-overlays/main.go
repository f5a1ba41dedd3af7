// render-overlays: kustomize build for many overlays in one process, for `tenantctl validate`.
//
// `kubectl kustomize` costs one process (and one load of kustomize's OpenAPI schema) per overlay,
// and an aggregate kustomization over many overlays costs time that grows with the square of its
// objects. This program renders each overlay on its own with the kustomize API (krusty, the
// library behind `kustomize build` and `kubectl kustomize`, with their default options), one after
// another in one process, and prints one JSON line per overlay, in input order:
//
//	{"dir":"<dir as given>","objects":[{...},...]}    or    {"dir":"<dir>","error":"<message>"}
//
// Overlay directories are read from stdin, one per line. The exit status is 0 when every line was
// answered (rendering failures included) and 1 on a usage or I/O error. Kustomize keeps global,
// unsynchronised state (its OpenAPI schema), so a caller that wants both cores runs two processes.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func main() {
	if len(os.Args) != 1 {
		fmt.Fprintln(os.Stderr, "render-overlays: usage: render-overlays < list-of-overlay-dirs")
		os.Exit(1)
	}
	// Kustomize allocates freely and keeps little: with Go's default (GOGC=100) a quarter of this
	// program's CPU went to the collector, which on a busy machine is time taken from the other
	// renderers and kubeconform. Four times the live heap (about 120 MB instead of 55) is cheap.
	debug.SetGCPercent(400)
	fs := newReadCache(filesys.MakeFsOnDisk())
	// `kustomize build` and `kubectl kustomize` sort their output (the legacy order, their default);
	// the library does not unless asked.
	options := krusty.MakeDefaultOptions()
	options.Reorder = krusty.ReorderOptionLegacy
	kustomizer := krusty.MakeKustomizer(options)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	for in.Scan() {
		dir := in.Text()
		if dir == "" {
			continue
		}
		if err := writeLine(out, dir, render(kustomizer, fs, dir)); err != nil {
			fmt.Fprintf(os.Stderr, "render-overlays: cannot write the output: %v\n", err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "render-overlays: cannot read the overlay list: %v\n", err)
		os.Exit(1)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "render-overlays: cannot write the output: %v\n", err)
		os.Exit(1)
	}
}

type result struct {
	Dir     string            `json:"dir"`
	Objects []json.RawMessage `json:"objects,omitempty"`
	Error   string            `json:"error,omitempty"`
}

func render(kustomizer *krusty.Kustomizer, fs filesys.FileSystem, dir string) result {
	resources, err := kustomizer.Run(fs, dir)
	if err != nil {
		return result{Dir: dir, Error: err.Error()}
	}
	objects := make([]json.RawMessage, 0, resources.Size())
	for _, r := range resources.Resources() {
		// The object decoded straight from kustomize's YAML node and encoded as JSON. RNode's own
		// MarshalJSON does the same after writing the node out as YAML text and parsing it back,
		// which took a seventh of this program's time; the decoder and its typing are the same.
		fields, err := r.Map()
		var object []byte
		if err == nil {
			object, err = json.Marshal(fields)
		}
		if err != nil {
			return result{Dir: dir, Error: fmt.Sprintf("cannot encode %s: %v", r.CurId(), err)}
		}
		objects = append(objects, object)
	}
	return result{Dir: dir, Objects: objects}
}

func writeLine(out *bufio.Writer, dir string, r result) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := out.Write(line); err != nil {
		return err
	}
	return out.WriteByte('\n')
}
