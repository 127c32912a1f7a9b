package cms

import (
	"errors"

	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/store"
)

func FirstPage(col config.Column) fetch.Request {
	return fetch.Request{Method: "GET", URL: col.URL, Kind: fetch.KindList, Charset: col.Charset}
}
func ParseList(col config.Column, resp *fetch.Response, pageIndex int) (ListResult, error) {
	return ListResult{}, errors.New("尚未实现")
}
func ParseDetail(col config.Column, e Entry, resp *fetch.Response) (Detail, error) {
	return Detail{}, errors.New("尚未实现")
}
func BuildPublication(county config.County, src config.Source, col config.Column, e Entry, d Detail, atts []store.Attachment) store.Publication {
	return store.Publication{}
}
