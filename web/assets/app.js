// Live preview of the overview's filter: on every change of the form the
// page asks /api/view for the form's query and redraws the findings table
// (text only, never HTML); 查询 still navigates, so the URL keeps the state.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var table = document.getElementById("findings");
  if (!form || !table || !window.fetch) return;
  var labels = { ontime: "按时公开", late: "逾期公开", missing: "未公开", pending: "未到期", unverified: "待核实" };
  function formQuery() {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v) p.set(k, v); });
    return p.toString();
  }
  function cell(tr, text, href, cls) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      if (cls) a.className = cls;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    tr.appendChild(td);
  }
  function say(text) { document.getElementById("filters").textContent = text; }
  form.addEventListener("change", function () {
    fetch("/api/view?" + formQuery(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); })
      .then(function (x) {
        var d = x.d;
        if (!x.ok) { say("筛选有误：" + d.error); return; }
        var tb = table.tBodies[0];
        tb.textContent = "";
        d.findings.forEach(function (f) {
          var tr = document.createElement("tr");
          tr.className = "st-" + f.status;
          var rec = new URLSearchParams(d.query);
          rec.delete("status"); rec.delete("q");
          rec.set("county", f.county); rec.set("item", f.item); rec.set("no", f.record_no); rec.set("channel", f.channel);
          cell(tr, f.county); cell(tr, f.item);
          cell(tr, f.record_no, "/record?" + rec.toString(), "record");
          cell(tr, f.channel); cell(tr, labels[f.status] || f.status);
          cell(tr, f.due || ((f.due_earliest || "") + "–" + (f.due_latest || "")));
          cell(tr, f.published || "");
          cell(tr, f.late_workdays ? String(f.late_workdays) + (f.late_workdays_at_least ? "+" : "") : "");
          cell(tr, f.url ? "存档" : "", f.url ? "/evidence-of?url=" + encodeURIComponent(f.url) : null);
          tb.appendChild(tr);
        });
        document.getElementById("count").textContent = String(d.findings.length);
        ["xlsx", "csv", "json"].forEach(function (k) {
          var a = document.getElementById("dl-" + k);
          if (a) a.href = "/export." + k + d.query;
        });
        say("筛选条件：" + d.filters.join("、") + "（预览，点“查询”写入网址）");
      })
      .catch(function () { say("预览失败，请点“查询”"); });
  });
})();
