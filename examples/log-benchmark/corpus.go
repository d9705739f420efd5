package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

const gtSuffix = "_2k.log_structured_corrected.csv"

// dataset is one dataset of the corpus: the messages to mine (index k-1
// is LineId k) and the ground truth.
type dataset struct {
	name     string
	messages []string
	gt       map[int]string
}

// listDatasets returns the sorted names of DIR/data/<DS> that hold a
// ground-truth file, as logscore.py finds them.
func listDatasets(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if st, err := os.Stat(filepath.Join(dataDir, e.Name(), e.Name()+gtSuffix)); err == nil && !st.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// readFormats reads formats.json (keys starting with '_' are notes).
func readFormats(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	var f map[string]string
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

var headerRE = regexp.MustCompile(`<[^<>]+>`)
var spacesRE = regexp.MustCompile(` +`)

// formatRegexp turns a log_format into the anchored expression logparser
// builds from it: each <Field> matches non-greedily, every run of spaces
// matches \s+, and the rest is a regular-expression fragment.
func formatRegexp(format string) (*regexp.Regexp, error) {
	var sb strings.Builder
	sb.WriteString("^")
	last := 0
	for _, loc := range headerRE.FindAllStringIndex(format, -1) {
		sb.WriteString(spacesRE.ReplaceAllString(format[last:loc[0]], `\s+`))
		name := format[loc[0]+1 : loc[1]-1]
		fmt.Fprintf(&sb, "(?P<%s>.*?)", name)
		last = loc[1]
	}
	sb.WriteString(spacesRE.ReplaceAllString(format[last:], `\s+`))
	sb.WriteString("$")
	re, err := regexp.Compile(sb.String())
	if err != nil {
		return nil, fmt.Errorf("log_format %q: %w", format, err)
	}
	if re.SubexpIndex("Content") < 0 {
		return nil, fmt.Errorf("log_format %q has no <Content> field", format)
	}
	return re, nil
}

// readCSV reads LineId and the named column from a CSV with a header.
func readCSV(path, column string) (map[int]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	iID, iCol := -1, -1
	for i, h := range header {
		switch strings.TrimSpace(h) {
		case "LineId":
			iID = i
		case column:
			iCol = i
		}
	}
	if iID < 0 || iCol < 0 {
		return nil, fmt.Errorf("%s: header lacks LineId or %s", path, column)
	}
	out := map[int]string{}
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(row) != len(header) {
			return nil, fmt.Errorf("%s: row with %d fields, header has %d", path, len(row), len(header))
		}
		id, err := strconv.Atoi(strings.TrimSpace(row[iID]))
		if err != nil {
			return nil, fmt.Errorf("%s: LineId %q: %w", path, row[iID], err)
		}
		out[id] = row[iCol]
	}
	return out, nil
}

// loadDataset reads one dataset. The messages are cut out of the raw log
// with the dataset's log_format when both exist (a line the format does
// not match is mined whole); otherwise they are the Content column.
func loadDataset(corpus, name string, formats map[string]string) (dataset, error) {
	dir := filepath.Join(corpus, "data", name)
	gt, err := readCSV(filepath.Join(dir, name+gtSuffix), "EventTemplate")
	if err != nil {
		return dataset{}, err
	}
	ds := dataset{name: name, gt: gt}
	raw, rerr := os.ReadFile(filepath.Join(dir, name+"_2k.log"))
	format, ok := formats[name]
	if rerr == nil && ok {
		re, err := formatRegexp(format)
		if err != nil {
			return dataset{}, fmt.Errorf("%s: %w", name, err)
		}
		ci := re.SubexpIndex("Content")
		text := strings.TrimSuffix(string(raw), "\n")
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			if m := re.FindStringSubmatch(line); m != nil {
				line = m[ci]
			}
			ds.messages = append(ds.messages, line)
		}
	} else {
		content, err := readCSV(filepath.Join(dir, name+gtSuffix), "Content")
		if err != nil {
			return dataset{}, err
		}
		ds.messages = make([]string, len(content))
		for id, c := range content {
			if id < 1 || id > len(content) {
				return dataset{}, fmt.Errorf("%s: LineId %d outside 1..%d", name, id, len(content))
			}
			ds.messages[id-1] = c
		}
	}
	for id := range gt {
		if id < 1 || id > len(ds.messages) {
			return dataset{}, fmt.Errorf("%s: ground-truth LineId %d but the log has %d lines", name, id, len(ds.messages))
		}
	}
	return ds, nil
}
