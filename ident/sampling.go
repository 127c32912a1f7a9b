package ident

import "regexp"

// samplingNo is a food or drug sampling number as printed in sampling
// notices: a 2–3 letter task prefix and 12–20 digits (DC20140525000123).
var samplingNo = regexp.MustCompile(`^[A-Z]{2,3}[0-9]{12,20}$`)

// FindSamplingNos returns the sampling numbers that appear whole in text,
// in order, without duplicates.
func FindSamplingNos(text string) []string {
	var out []string
	seen := map[string]bool{}
	for tok := range alnumTokens(text) {
		if samplingNo.MatchString(tok) && !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	return out
}

// FindSamplingNosAndUSCCs returns what FindSamplingNos and FindUSCCs
// return for text, reading its tokens once: the matcher reads every page
// for both.
func FindSamplingNosAndUSCCs(text string) (sampling, usccs []string) {
	seenS, seenU := map[string]bool{}, map[string]bool{}
	for tok := range alnumTokens(text) {
		if !seenS[tok] && samplingNo.MatchString(tok) {
			seenS[tok] = true
			sampling = append(sampling, tok)
		}
		if len(tok) == 18 && !seenU[tok] && CheckUSCC(tok) == nil {
			seenU[tok] = true
			usccs = append(usccs, tok)
		}
	}
	return sampling, usccs
}
