// collatio HTML report. Archive text is only ever set with textContent: nothing in a witness
// becomes markup or runs. Rows are parsed a page (one JSON block) at a time.
(function () {
  'use strict';
  var F = JSON.parse(document.getElementById('findings').textContent);
  var SYM = { error: '\u2716', warning: '\u25B2', note: '\u25CF' };
  var CLS = { c: 'chg', d: 'del', i: 'ins', m: 'minor', x: 'hit', p: 'pt' };
  var hiddenSev = {}, hiddenCat = {};
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.group'));
  var page = groups.map(function () { return -1; });
  var cache = {};
  var current = -1;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function visible(i) { return !hiddenSev[F[i].s] && !hiddenCat[F[i].c]; }
  function chunk(g, c) {
    var key = g + ':' + c;
    if (!cache[key]) {
      var node = document.getElementById('g' + g + 'c' + c);
      cache[key] = node ? JSON.parse(node.textContent) : [];
    }
    return cache[key];
  }
  function pages(g) {
    return Math.ceil(Number(groups[g].getAttribute('data-rows')) / CHUNK) || 1;
  }
  var CHUNK = Number(document.body.getAttribute('data-chunk')) || 400;

  function textCell(pieces, lang) {
    var td = el('td', 'txt');
    td.lang = lang;
    (pieces || []).forEach(function (p) {
      var cls = p[1].split(' ').filter(Boolean).map(function (k) { return CLS[k] || ''; }).join(' ');
      td.appendChild(cls ? el('span', cls, p[0]) : document.createTextNode(p[0]));
    });
    return td;
  }
  function findingBlock(i) {
    var f = F[i];
    var d = el('div', 'finding sev-' + f.s + ' cat-' + f.c);
    d.id = 'f' + i;
    d.tabIndex = -1;
    d.setAttribute('data-i', i);
    var h = el('div', 'fhead');
    h.appendChild(el('span', 'sev sev-' + f.s, SYM[f.s] + ' ' + f.s));
    h.appendChild(el('code', 'code', f.code));
    h.appendChild(el('span', 'cat', f.c));
    var a = el('a', 'loc', f.file + ':' + f.l + ':' + f.col);
    a.href = f.href;
    h.appendChild(a);
    if (f.b) h.appendChild(el('span', 'bstate', f.b));
    d.appendChild(h);
    if (f.x) {
      // The finding's line, when it is shown on no row of a side-by-side view.
      var ctx = el('p', 'ctx');
      ctx.lang = 'zh';
      ctx.appendChild(document.createTextNode('\u2026' + f.x[0]));
      ctx.appendChild(el('span', 'hit', f.x[1] || '\u2038'));
      ctx.appendChild(document.createTextNode(f.x[2] + '\u2026'));
      d.appendChild(ctx);
    }
    d.appendChild(el('p', 'msg', f.m));
    if (f.h) d.appendChild(el('p', 'help', 'help: ' + f.h));
    if (f.rel.length) {
      var ul = el('ul', 'rel');
      f.rel.forEach(function (r) { ul.appendChild(el('li', null, r)); });
      d.appendChild(ul);
    }
    return d;
  }
  function rowNodes(g, row, idx) {
    var sec = groups[g];
    var tr = el('tr', 'row k-' + row.k);
    tr.id = 'g' + g + 'r' + idx;
    if (row.k === 'sec') {
      var th = el('th', 'section');
      th.colSpan = 4;
      th.scope = 'rowgroup';
      th.lang = sec.getAttribute('data-ref-lang');
      var t = row.r.map(function (p) { return p[0]; }).join('');
      th.textContent = t;
      // The first heading may lie beyond the witness's cut start: not a loss.
      var why = idx === 0 ? '; the witness starts after it' : '; missing in the witness';
      th.appendChild(el('span', 'secinfo', row.wl ? ' (line ' + row.rl + ' \u2194 ' + row.wl + ')' : ' (line ' + row.rl + why + ')'));
      tr.setAttribute('data-heading', t);
      if (!row.wl && idx > 0) tr.className += ' missing';
      tr.appendChild(th);
    } else {
      tr.appendChild(el('td', 'ln', row.rl || ''));
      tr.appendChild(row.k === 'ins' ? el('td', 'txt none', '\u2014 not in the reference') : textCell(row.r, sec.getAttribute('data-ref-lang')));
      tr.appendChild(el('td', 'ln', row.wl || ''));
      tr.appendChild(row.k === 'drop' ? el('td', 'txt none', '\u2014 missing in the witness') : textCell(row.w, sec.getAttribute('data-wit-lang')));
      if (row.k === 'moved') tr.title = 'moved: this unit stands elsewhere in the witness';
    }
    var out = [tr];
    if (row.f.length) {
      var fr = el('tr', 'frow');
      var td = el('td');
      td.colSpan = 4;
      row.f.forEach(function (i) { td.appendChild(findingBlock(i)); });
      fr.appendChild(td);
      out.push(fr);
    }
    return out;
  }
  function showPage(g, p) {
    if (page[g] === p) return;
    page[g] = p;
    var tbody = groups[g].querySelector('tbody');
    tbody.textContent = '';
    var frag = document.createDocumentFragment();
    chunk(g, p).forEach(function (row, k) {
      rowNodes(g, row, p * CHUNK + k).forEach(function (n) { frag.appendChild(n); });
    });
    tbody.appendChild(frag);
    pagers(g);
  }
  function pagers(g) {
    var n = pages(g), total = Number(groups[g].getAttribute('data-rows'));
    Array.prototype.forEach.call(groups[g].querySelectorAll('.pager'), function (pg) {
      pg.textContent = '';
      if (n < 2) return;
      pg.hidden = false;
      var prev = el('button', null, '\u2190 previous');
      prev.type = 'button';
      prev.disabled = page[g] === 0;
      prev.onclick = function () { showPage(g, page[g] - 1); };
      var next = el('button', null, 'next \u2192');
      next.type = 'button';
      next.disabled = page[g] === n - 1;
      next.onclick = function () { showPage(g, page[g] + 1); };
      var from = page[g] * CHUNK + 1, to = Math.min(total, (page[g] + 1) * CHUNK);
      pg.appendChild(prev);
      pg.appendChild(el('span', 'pinfo', ' rows ' + from + '\u2013' + to + ' of ' + total + ' (page ' + (page[g] + 1) + ' of ' + n + ') '));
      pg.appendChild(next);
    });
  }

  // The jump list: every finding, a page of them at a time.
  var jumpShown = 0, JUMP = 500;
  function jumpItem(i) {
    var f = F[i];
    var li = el('li', 'sev-' + f.s + ' cat-' + f.c);
    li.setAttribute('data-i', i);
    var a = el('a', null, SYM[f.s] + ' ' + f.code + ' ' + f.file + ':' + f.l + ' \u2014 ' + f.m);
    a.href = '#f' + i;
    a.onclick = function (ev) { ev.preventDefault(); go(i); };
    li.appendChild(a);
    if (!f.g) {
      // Not in a side-by-side view: the finding is shown here in full.
      li.appendChild(findingBlock(i));
    }
    return li;
  }
  function moreJump() {
    var ol = document.getElementById('jump-list');
    var end = Math.min(F.length, jumpShown + JUMP);
    var frag = document.createDocumentFragment();
    for (var i = jumpShown; i < end; i++) frag.appendChild(jumpItem(i));
    ol.appendChild(frag);
    jumpShown = end;
    document.getElementById('jump-more').hidden = jumpShown >= F.length;
  }

  function go(i) {
    var f = F[i];
    if (f.g) showPage(f.g[0], Math.floor(f.g[1] / CHUNK));
    else while (jumpShown <= i) moreJump();
    var node = document.getElementById('f' + i);
    if (!node) return;
    var old = document.querySelector('.finding.current');
    if (old) old.classList.remove('current');
    node.classList.add('current');
    node.scrollIntoView({ block: 'center' });
    node.focus({ preventScroll: true });
    current = i;
  }
  function step(d) {
    for (var i = current + d; i >= 0 && i < F.length; i += d) {
      if (visible(i)) { go(i); return; }
    }
  }
  function applyFilters() {
    var cls = [];
    Object.keys(hiddenSev).forEach(function (k) { if (hiddenSev[k]) cls.push('hide-sev-' + k); });
    Object.keys(hiddenCat).forEach(function (k) { if (hiddenCat[k]) cls.push('hide-cat-' + k); });
    document.body.className = cls.join(' ');
    var n = 0;
    for (var i = 0; i < F.length; i++) if (visible(i)) n++;
    document.getElementById('jump-count').textContent = '(' + n + ' of ' + F.length + ' shown)';
  }
  Array.prototype.forEach.call(document.querySelectorAll('#controls input'), function (box) {
    box.addEventListener('change', function () {
      if (box.hasAttribute('data-sev')) hiddenSev[box.getAttribute('data-sev')] = !box.checked;
      else hiddenCat[box.getAttribute('data-cat')] = !box.checked;
      applyFilters();
    });
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target && ev.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA') return;
    if (ev.key === 'j' || ev.key === 'n') { step(1); ev.preventDefault(); }
    else if (ev.key === 'k' || ev.key === 'p') { step(-1); ev.preventDefault(); }
  });
  document.getElementById('jump-more').onclick = moreJump;
  // Printing shows every row when there are not too many.
  window.addEventListener('beforeprint', function () {
    groups.forEach(function (sec, g) {
      if (Number(sec.getAttribute('data-rows')) > 5000) return;
      var tbody = sec.querySelector('tbody');
      tbody.textContent = '';
      for (var p = 0; p < pages(g); p++) {
        chunk(g, p).forEach(function (row, k) {
          rowNodes(g, row, p * CHUNK + k).forEach(function (n) { tbody.appendChild(n); });
        });
      }
      page[g] = -1;
    });
  });
  groups.forEach(function (_, g) { showPage(g, 0); });
  moreJump();
  applyFilters();
})();
