package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gongkai/catalogue"
	"gongkai/catalogue/review"
	"gongkai/internal/cli"
	"gongkai/matcher"
	"gongkai/region"
)

// errFindings makes the command exit 1 after printing the findings.
type errFindings int

func (e errFindings) Error() string {
	return fmt.Sprintf("本级目录有%d处不符合规则", int(e))
}

// runCatalogueReview reviews a county catalogue file (XLSX or CSV) against
// the municipal catalogue: exit 0 without findings, 1 with findings, 2 on
// bad arguments. --accept writes the accepted catalogue as the county
// variant file that sites.yaml's catalogue: key points to.
func runCatalogueReview(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("catalogue review", stderr)
	county := fs.String("county", "", "报送本级目录的县区（名称或区划代码），必填")
	format := fs.String("format", "text", "输出格式: text、json 或 xlsx（xlsx 需 --out）")
	out := fs.String("out", "", "--format xlsx 时审核意见的输出文件")
	accept := fs.Bool("accept", false, "没有不符合项时采用该本级目录：写出县区本级目录文件（YAML）供审计使用")
	variantOut := fs.String("variant-out", "", "--accept 写出的文件（默认与 FILE 同目录、同名，扩展名 .yaml）")
	// Flags may follow the file name: reporter catalogue review FILE --county 泽州县.
	var files []string
	rest := args
	for {
		if err := cli.Parse(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		return cli.Usagef("用法: reporter catalogue review --county 县区 FILE [--format text|json|xlsx] [--out PATH] [--accept]（应给出一个本级目录文件，实际 %d 个）", len(files))
	}
	if *county == "" {
		return cli.Usagef("缺少 --county（报送本级目录的县区）")
	}
	c, ok := region.Lookup(*county)
	if !ok {
		return cli.Usagef("未知县区 %q（应为%s之一或其区划代码）", *county, strings.Join(region.Names(), "、"))
	}
	switch *format {
	case "text", "json":
		if *out != "" {
			return cli.Usagef("--out 只用于 --format xlsx")
		}
	case "xlsx":
		if *out == "" {
			return cli.Usagef("--format xlsx 需要 --out 指定输出文件")
		}
	default:
		return cli.Usagef("--format 应为 text、json 或 xlsx，不是 %q", *format)
	}
	if *variantOut != "" && !*accept {
		return cli.Usagef("--variant-out 只与 --accept 一起使用")
	}
	file := files[0]
	t, err := review.ReadFile(file)
	if err != nil {
		return err
	}
	base := catalogue.Default()
	res := review.Review(base, c.Name, t)
	switch *format {
	case "json":
		err = res.WriteJSON(stdout)
	case "text":
		err = res.WriteText(stdout, file)
	case "xlsx":
		x, xerr := res.XLSX(file)
		if xerr != nil {
			return xerr
		}
		if err = x.SaveAs(*out); err == nil {
			fmt.Fprintf(stderr, "审核意见已写入 %s\n", *out)
		}
	}
	if err != nil {
		return err
	}
	if len(res.Findings) > 0 {
		if *accept {
			return fmt.Errorf("不能采用: %w；请县区修改后重新报送", errFindings(len(res.Findings)))
		}
		return errFindings(len(res.Findings))
	}
	if !*accept {
		return nil
	}
	data, err := review.VariantYAML(base, res, filepath.Base(file))
	if err != nil {
		return err
	}
	path := *variantOut
	if path == "" {
		path = strings.TrimSuffix(file, filepath.Ext(file)) + ".yaml"
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("写出本级目录文件失败: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	w := stderr
	if *format == "text" {
		w = stdout
	}
	fmt.Fprintf(w, "已采用%s本级目录，写入 %s\n在 sites.yaml 的 %s 下加入（相对路径以 sites.yaml 所在目录为准）:\n    catalogue: %s\n", c.Name, abs, c.Name, abs)
	// An added element is audited only where the matcher's rules say how
	// to recognise it; say which ones it cannot check rather than pass
	// over them silently.
	rules := matcher.DefaultRules()
	for _, ch := range res.Changes {
		for _, e := range ch.Elements {
			if _, ok := rules.Elements[e]; !ok {
				fmt.Fprintf(w, "注意：事项 %s 增加的公开内容要素“%s”没有识别规则，审计不核对（可在规则文件的 elements 中补充，见 docs/catalogue-review.md）\n", ch.Code, e)
			}
		}
	}
	return nil
}
