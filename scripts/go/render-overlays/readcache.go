package main

// readCache remembers what kustomize reads from the disk during one run. Every overlay builds on
// the same base/ folders, and kustomize resolves and reads each of their files again for every
// overlay (CleanedAbs alone walks every path component with lstat): a tenth of the program's time
// over 1,000 tenants. The callers write every overlay before they start the program and change
// nothing while it runs, so a file read once reads the same until the program exits.

import (
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

type cleanedAbs struct {
	dir  filesys.ConfirmedDir
	file string
	err  error
}

type readFile struct {
	data []byte
	err  error
}

type readCache struct {
	filesys.FileSystem
	abs    map[string]cleanedAbs
	files  map[string]readFile
	exists map[string]bool
	isDir  map[string]bool
}

func newReadCache(fs filesys.FileSystem) *readCache {
	return &readCache{
		FileSystem: fs,
		abs:        map[string]cleanedAbs{},
		files:      map[string]readFile{},
		exists:     map[string]bool{},
		isDir:      map[string]bool{},
	}
}

// remember answers from the cache, asking read only the first time a path is asked for.
func remember[V any](cache map[string]V, path string, read func() V) V {
	v, ok := cache[path]
	if !ok {
		v = read()
		cache[path] = v
	}
	return v
}

func (c *readCache) CleanedAbs(path string) (filesys.ConfirmedDir, string, error) {
	r := remember(c.abs, path, func() (r cleanedAbs) {
		r.dir, r.file, r.err = c.FileSystem.CleanedAbs(path)
		return r
	})
	return r.dir, r.file, r.err
}

// ReadFile hands out a copy: kustomize's callers may keep or change the slice.
func (c *readCache) ReadFile(path string) ([]byte, error) {
	r := remember(c.files, path, func() (r readFile) {
		r.data, r.err = c.FileSystem.ReadFile(path)
		return r
	})
	if r.err != nil {
		return nil, r.err
	}
	return append([]byte(nil), r.data...), nil
}

func (c *readCache) Exists(path string) bool {
	return remember(c.exists, path, func() bool { return c.FileSystem.Exists(path) })
}

func (c *readCache) IsDir(path string) bool {
	return remember(c.isDir, path, func() bool { return c.FileSystem.IsDir(path) })
}
