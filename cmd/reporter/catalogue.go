package main

import (
	"context"
	"io"

	"gongkai/catalogue"
	"gongkai/internal/cli"
	"gongkai/region"
)

func init() {
	program.Add(cli.Command{
		Name:    "catalogue",
		Summary: "打印审核所依据的公开事项标准目录（--format md|json，可叠加县区本级目录）；catalogue review 审核县区报送的本级目录",
		Run:     runCatalogue,
	})
}

// runCatalogue prints the municipal catalogue, or a county's variant of it
// when --variant names a county catalogue file (examples/catalogue-county.yaml).
func runCatalogue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "review" {
		return runCatalogueReview(ctx, args[1:], stdout, stderr)
	}
	fs := cli.NewFlags("catalogue", stderr)
	format := fs.String("format", "md", "输出格式: md（中文表格）或 json")
	county := fs.String("county", "", "县区名称或区划代码；与 --variant 一起使用时核对文件所属县区")
	variant := fs.String("variant", "", "县区本级目录文件（YAML），在市级目录基础上增加三级事项、收紧时限、增加渠道")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %v", fs.Args())
	}
	if *format != "md" && *format != "json" {
		return cli.Usagef("--format 应为 md 或 json，不是 %q", *format)
	}
	cat := catalogue.Default()
	if *county != "" {
		c, ok := region.Lookup(*county)
		if !ok {
			return cli.Usagef("未知县区 %q", *county)
		}
		if *variant == "" {
			return cli.Usagef("--county 需要与 --variant 一起使用（县区本级目录文件）")
		}
		*county = c.Name
	}
	if *variant != "" {
		v, err := catalogue.ApplyVariant(cat, *variant)
		if err != nil {
			return err
		}
		if *county != "" && v.County != *county {
			return cli.Usagef("本级目录文件 %s 属于%s，不是%s", *variant, v.County, *county)
		}
		cat = v
	}
	if *format == "json" {
		return cat.WriteJSON(stdout)
	}
	return cat.WriteMarkdown(stdout)
}
