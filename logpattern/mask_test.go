package logpattern

import "testing"

func maskString(line string) string {
	var mk masker
	toks, _, _ := maskLine(line, nil, &mk)
	out := ""
	for i, tk := range toks {
		if i > 0 {
			out += " "
		}
		out += string(mk.buf[tk.start:tk.end])
	}
	return out
}

func TestMask(t *testing.T) {
	cases := []struct{ in, want string }{
		{"connected to 10.0.0.1:8080 in 35ms", "connected to <*> in <*>"},
		{"user=alice id=42 ok", "user=alice id=<*> ok"},
		{"request 3f2a9c1e-77b0-4d2e-9f1a-0c5e2b7d8a64 done", "request <*> done"},
		{"opened /var/lib/app/data.db for write", "opened <*> for write"},
		{"wrote core.4711", "wrote core.<*>"},
		{"GET /index.html HTTP/1.1", "GET <*> <*>"},
		{"flag=true other=FALSE val=null", "flag=<*> other=<*> val=<*>"},
		{"addr 0x7ffd1234 hash deadbeefcafe", "addr <*> hash <*>"},
		{"took 1.5s at 12:03:44", "took <*> at <*>"},
		{"peers 10.1.1.1,10.1.1.2 joined", "peers <*> joined"},
		{"sent via ssh2 by jk2_init()", "sent via ssh2 by jk2_init()"},
		{"block blk_-129374612 of Thread-12", "block <*> of Thread-<*>"},
		{"node node-173 and web-2 and node-x1 and -5", "node node-<*> and web-<*> and node-x1 and <*>"},
		{"Rect(0, 0 - 1080, 1920)", "Rect(<*>, <*> - <*>, <*>)"},
		{"negative -5 delta +3", "negative <*> delta <*>"},
		{"  spaced\tout  ", "spaced out"},
		{"start com.example.app/.MainActivity now", "start <*> now"},
		{"type text/html and/or", "type text/html and/or"},
		{"since Thu Aug 04 15:29:45 PDT 2005", "since <*> PDT <*>"},
		{"due mon 3 may 2024 or tue", "due <*> or <*>"},
		{"resolved DB-A.eu.example.COM and x.y.internal:443 via com.example.Job", "resolved <*> and <*>:<*> via com.example.Job"},
		{"", ""},
	}
	for _, c := range cases {
		if got := maskString(c.in); got != c.want {
			t.Errorf("mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMaskHashIgnoresValues(t *testing.T) {
	var mk masker
	_, a, _ := maskLine("conn 10.0.0.1 took 5ms", nil, &mk)
	_, b, _ := maskLine("conn 192.168.3.4 took 77ms", nil, &mk)
	_, c, _ := maskLine("conn 192.168.3.4 took ms", nil, &mk)
	if a != b {
		t.Errorf("same masked line hashed apart: %x %x", a, b)
	}
	if a == c {
		t.Errorf("different masked lines hashed equal")
	}
	// a literal "<*>" in the input is text, not a variable
	_, d, _ := maskLine("x <*>", nil, &mk)
	_, e, _ := maskLine("x 1", nil, &mk)
	if d == e {
		t.Error("typed <*> hashed like a variable")
	}
}
