// Package matcher turns harvested publications into evidence about expected
// records: it classifies each publication to a catalogue item (or none),
// links expected records to the disclosures that satisfy them, and checks
// each matched disclosure for the item's required elements (公开内容/要素).
//
// The rules it applies are data (rules.yaml, embedded; users extend them with
// LoadRules) so that a new keyword, header alias or element pattern is a
// configuration change, not a code change. Every decision carries a reason
// in Chinese that the reports show next to it.
package matcher

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/goccy/go-yaml"

	"gongkai/ident"
)

//go:embed rules.yaml
var builtinYAML []byte

// Kind is a sort of disclosure (处罚, 抽检, 检查 …) and the words that show it.
type Kind struct {
	Name   string   `yaml:"name"`
	Title  []string `yaml:"title"`  // words in a title
	Meta   []string `yaml:"meta"`   // words in metadata values (文号, 主题分类 …) and attachment names
	Body   []string `yaml:"body"`   // words in body and attachment text
	Fields []string `yaml:"fields"` // table headers / JSON keys of the publication's rows
}

// Domain is a regulated field (食品, 药品, 医疗器械 …) and its words:
// keywords name products (strong evidence), venues kinds of business (weak).
type Domain struct {
	Name     string   `yaml:"name"`
	Keywords []string `yaml:"keywords"`
	Venues   []string `yaml:"venues"`
}

// ItemRule maps a kind and a domain to a catalogue item.
type ItemRule struct {
	Kind    string `yaml:"kind"`
	Domain  string `yaml:"domain"` // "" for kinds that need none (3.x)
	Item    string `yaml:"item"`
	Default bool   `yaml:"default"` // taken when the kind is clear but no domain is
}

// Element says how to see one required element in a disclosure.
type Element struct {
	Scope    string   `yaml:"scope"`    // record (default) or column
	Fields   []string `yaml:"fields"`   // header aliases of rows
	Labels   []string `yaml:"labels"`   // "label：value" in text
	Patterns []string `yaml:"patterns"` // regular expressions over text
	Builtin  string   `yaml:"builtin"`  // decision_no, date, present
	Title    []string `yaml:"title"`    // column scope: words in titles of the column's publications
	// Shared marks an element a page states once for all its rows (检验依据
	// in the prose above a sampling table): a row inherits it from the
	// page's text, patterns included, not only from its labels.
	Shared bool `yaml:"shared"`

	patterns []*pattern
	fieldSet map[string]*regexp.Regexp // normalised aliases → what the value must match (nil: anything)
	labels   []string                  // normalised labels
	labelIDs []int32                   // their words in Rules.labelScan (-1: an empty label)
}

// ColumnScope reports whether the element is standing information judged
// over a county's whole column rather than on each record's disclosure.
func (e *Element) ColumnScope() bool { return e.Scope == "column" }

// Notes are the titles of explanatory notes and pinned notices about a
// column (关于行政处罚信息公示有关事项的说明, 政府信息公开指南): never a
// disclosure of a catalogue item, whatever words they carry.
type Notes struct {
	Title    []string `yaml:"title"`     // phrases anywhere in a title
	TitleEnd []string `yaml:"title_end"` // how a title ends (a bracketed remark such as （置顶） aside)
	Except   []string `yaml:"except"`    // phrases that make a title a disclosure after all (情况说明)
}

// Rules is a compiled rule set. It is safe for concurrent use.
type Rules struct {
	Ignore   []string
	Notes    Notes
	Kinds    []Kind
	Domains  []Domain
	Items    []ItemRule
	Elements map[string]*Element

	scanner    *scanner // every kind/domain/ignore word, for one pass over a text
	words      []wordRef
	wordList   []string   // the scanner's words, folded, same order as words
	kindFields [][]string // per kind, its Fields normalised (normHeader)
	kindByItem map[string]string
	// labelScan finds every element label (normalised) in one pass over
	// a line, however many elements and labels an item has.
	labelScan  *scanner
	labelWords []string

	classifiers sync.Pool // *classifier
}

// wordRef says what a scanner word stands for.
type wordRef struct {
	ignore bool
	kind   int // index into Kinds, -1 if none
	where  int // whereTitle … for kinds
	domain int // index into Domains, -1 if none
	venue  bool
}

const (
	whereTitle = iota
	whereMeta
	whereBody
)

// rulesFile is the YAML form.
type rulesFile struct {
	Replace  bool               `yaml:"replace"`
	Ignore   []string           `yaml:"ignore"`
	Notes    Notes              `yaml:"notes"`
	Kinds    []Kind             `yaml:"kinds"`
	Domains  []Domain           `yaml:"domains"`
	Items    []ItemRule         `yaml:"items"`
	Elements map[string]Element `yaml:"elements"`
}

var builtinRules = func() *Rules {
	r, err := parseRules(builtinYAML, "rules.yaml", nil)
	if err != nil {
		panic("matcher: built-in rules.yaml is invalid: " + err.Error())
	}
	return r
}()

// DefaultRules returns the built-in rules.
func DefaultRules() *Rules { return builtinRules }

// LoadRules reads a user's rules file and merges it onto the built-in rules
// (or replaces them when the file says `replace: true`). Errors name the file.
func LoadRules(path string) (*Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取匹配规则文件: %w", err)
	}
	return parseRules(data, path, builtinRules)
}

// ParseRules is LoadRules for rules already in memory; name is used in errors.
func ParseRules(data []byte, name string) (*Rules, error) {
	return parseRules(data, name, builtinRules)
}

func parseRules(data []byte, name string, base *Rules) (*Rules, error) {
	var f rulesFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("匹配规则文件 %s 有误:\n%s", name, yaml.FormatError(err, false, true))
	}
	r := &Rules{Elements: map[string]*Element{}}
	if base != nil && !f.Replace {
		r.Ignore = slices.Clone(base.Ignore)
		r.Notes = Notes{Title: slices.Clone(base.Notes.Title), TitleEnd: slices.Clone(base.Notes.TitleEnd), Except: slices.Clone(base.Notes.Except)}
		for _, k := range base.Kinds {
			r.Kinds = append(r.Kinds, Kind{Name: k.Name, Title: slices.Clone(k.Title), Meta: slices.Clone(k.Meta),
				Body: slices.Clone(k.Body), Fields: slices.Clone(k.Fields)})
		}
		for _, d := range base.Domains {
			r.Domains = append(r.Domains, Domain{Name: d.Name, Keywords: slices.Clone(d.Keywords), Venues: slices.Clone(d.Venues)})
		}
		r.Items = slices.Clone(base.Items)
		for n, e := range base.Elements {
			c := *e
			c.Fields, c.Labels, c.Patterns, c.Title = slices.Clone(e.Fields), slices.Clone(e.Labels), slices.Clone(e.Patterns), slices.Clone(e.Title)
			r.Elements[n] = &c
		}
	}
	r.Ignore = append(r.Ignore, f.Ignore...)
	r.Notes.Title = append(r.Notes.Title, f.Notes.Title...)
	r.Notes.TitleEnd = append(r.Notes.TitleEnd, f.Notes.TitleEnd...)
	r.Notes.Except = append(r.Notes.Except, f.Notes.Except...)
	for _, k := range f.Kinds {
		if k.Name == "" {
			return nil, fmt.Errorf("匹配规则文件 %s: kinds 中有一项缺少 name", name)
		}
		if i := slices.IndexFunc(r.Kinds, func(x Kind) bool { return x.Name == k.Name }); i >= 0 {
			x := &r.Kinds[i]
			x.Title, x.Meta = append(x.Title, k.Title...), append(x.Meta, k.Meta...)
			x.Body, x.Fields = append(x.Body, k.Body...), append(x.Fields, k.Fields...)
		} else {
			r.Kinds = append(r.Kinds, k)
		}
	}
	for _, d := range f.Domains {
		if d.Name == "" {
			return nil, fmt.Errorf("匹配规则文件 %s: domains 中有一项缺少 name", name)
		}
		if i := slices.IndexFunc(r.Domains, func(x Domain) bool { return x.Name == d.Name }); i >= 0 {
			r.Domains[i].Keywords = append(r.Domains[i].Keywords, d.Keywords...)
			r.Domains[i].Venues = append(r.Domains[i].Venues, d.Venues...)
		} else {
			r.Domains = append(r.Domains, d)
		}
	}
	r.Items = append(slices.Clone(f.Items), r.Items...)
	for n, e := range f.Elements {
		if x, ok := r.Elements[n]; ok {
			if e.Scope != "" {
				x.Scope = e.Scope
			}
			if e.Builtin != "" {
				x.Builtin = e.Builtin
			}
			x.Shared = x.Shared || e.Shared
			x.Fields, x.Labels = append(x.Fields, e.Fields...), append(x.Labels, e.Labels...)
			x.Patterns, x.Title = append(x.Patterns, e.Patterns...), append(x.Title, e.Title...)
		} else {
			c := e
			r.Elements[n] = &c
		}
	}
	if err := r.compile(); err != nil {
		return nil, fmt.Errorf("匹配规则文件 %s: %w", name, err)
	}
	return r, nil
}

func (r *Rules) compile() error {
	kindNames := map[string]bool{}
	for _, k := range r.Kinds {
		kindNames[k.Name] = true
	}
	domainNames := map[string]bool{"": true}
	for _, d := range r.Domains {
		domainNames[d.Name] = true
	}
	for i, it := range r.Items {
		switch {
		case !kindNames[it.Kind]:
			return fmt.Errorf("items 第%d项: 未定义的类别 %q", i+1, it.Kind)
		case !domainNames[it.Domain]:
			return fmt.Errorf("items 第%d项: 未定义的领域 %q", i+1, it.Domain)
		case !itemCode.MatchString(it.Item):
			return fmt.Errorf("items 第%d项: 事项编号 %q 无效（应为 1.1 这样的编号）", i+1, it.Item)
		}
	}
	for n, e := range r.Elements {
		switch e.Scope {
		case "", "record", "column":
		default:
			return fmt.Errorf("要素 %s: scope 只能是 record 或 column，不是 %q", n, e.Scope)
		}
		switch e.Builtin {
		case "", "decision_no", "date", "present":
		default:
			return fmt.Errorf("要素 %s: 未知的 builtin %q（可用 decision_no、date、present）", n, e.Builtin)
		}
		e.patterns = nil
		for _, p := range e.Patterns {
			pt, err := compilePattern(p)
			if err != nil {
				return fmt.Errorf("要素 %s: 正则表达式 %q 无效: %v", n, p, err)
			}
			e.patterns = append(e.patterns, pt)
		}
		e.fieldSet = map[string]*regexp.Regexp{}
		for _, f := range e.Fields {
			head, pattern, ok := strings.Cut(f, " ~ ")
			var re *regexp.Regexp
			if ok {
				var err error
				if re, err = regexp.Compile(strings.TrimSpace(pattern)); err != nil {
					return fmt.Errorf("要素 %s: 表头 %q 的取值正则表达式无效: %v", n, head, err)
				}
			}
			e.fieldSet[normHeader(head)] = re
		}
		e.labels = e.labels[:0]
		for _, l := range e.Labels {
			e.labels = append(e.labels, normHeader(l))
		}
	}
	r.kindFields = make([][]string, len(r.Kinds))
	for ki, k := range r.Kinds {
		for _, f := range k.Fields {
			r.kindFields[ki] = append(r.kindFields[ki], normHeader(f))
		}
	}
	// The first mapping of an item decides its kind (kindOfItem).
	r.kindByItem = map[string]string{}
	for _, it := range r.Items {
		if _, ok := r.kindByItem[it.Item]; !ok {
			r.kindByItem[it.Item] = it.Kind
		}
	}
	// One scanner over every word, so a text is read once however many
	// kinds and domains there are.
	var words []string
	r.words = nil
	add := func(w string, ref wordRef) {
		w = ident.Fold(w)
		if w == "" {
			return
		}
		words = append(words, w)
		r.words = append(r.words, ref)
	}
	for _, w := range r.Ignore {
		add(w, wordRef{ignore: true, kind: -1, domain: -1})
	}
	for ki, k := range r.Kinds {
		for _, w := range k.Title {
			add(w, wordRef{kind: ki, where: whereTitle, domain: -1})
		}
		for _, w := range k.Meta {
			add(w, wordRef{kind: ki, where: whereMeta, domain: -1})
		}
		for _, w := range k.Body {
			add(w, wordRef{kind: ki, where: whereBody, domain: -1})
		}
	}
	for di, d := range r.Domains {
		for _, w := range d.Keywords {
			add(w, wordRef{kind: -1, domain: di})
		}
		for _, w := range d.Venues {
			add(w, wordRef{kind: -1, domain: di, venue: true})
		}
	}
	if len(words) == 0 {
		return errors.New("没有任何关键词")
	}
	r.scanner = newScanner(words)
	r.wordList = words
	labelID := map[string]int32{}
	r.labelWords = nil
	for _, e := range r.Elements {
		e.labelIDs = make([]int32, 0, len(e.labels)) // never into a copied element's array: the base rules keep theirs
		for _, l := range e.labels {
			id, ok := labelID[l]
			switch {
			case l == "":
				id = -1
			case !ok:
				id = int32(len(r.labelWords))
				labelID[l] = id
				r.labelWords = append(r.labelWords, l)
			}
			e.labelIDs = append(e.labelIDs, id)
		}
	}
	r.labelScan = newScanner(r.labelWords)
	return nil
}

var itemCode = regexp.MustCompile(`^[1-9]\.[0-9]{1,2}$`)

// headerCache remembers normalised headers: a few dozen distinct headers
// are looked up millions of times. It stops growing at maxCachedHeaders
// (spreadsheets with odd headers must not grow it without bound).
var (
	headerCache   sync.Map
	cachedHeaders atomic.Int64
)

const maxCachedHeaders = 20000

// normHeader puts a header, label or alias in comparable form: folded, no
// spaces (索 引 号 = 索引号), no trailing colon.
func normHeader(s string) string {
	if v, ok := headerCache.Load(s); ok {
		return v.(string)
	}
	n := normHeaderUncached(s)
	if len(s) <= 64 && cachedHeaders.Load() < maxCachedHeaders {
		if _, loaded := headerCache.LoadOrStore(s, n); !loaded {
			cachedHeaders.Add(1)
		}
	}
	return n
}

func normHeaderUncached(s string) string {
	s = ident.Fold(s)
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
	return strings.TrimRight(s, ":：")
}
