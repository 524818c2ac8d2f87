// Injected once per page load as `window.__argus`. Everything the healer asks the page:
// Playwright-style locator evaluation, element fingerprints (as Healenium keeps them), a
// compact scan of every element for scoring, and the raw facts selector generation needs.
// Matching rules follow Playwright's injected script (role/name, text, label, placeholder,
// alt, title, test id); the code is our own.
(function () {
  'use strict';
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'META', 'LINK', 'TITLE']);

  function normalize(s) {
    return (s || '').replace(/[\u200b\u00ad]/g, '').replace(/\s+/g, ' ').trim();
  }

  // Playwright: a string matcher is a case-insensitive substring unless exact, which
  // compares the whole whitespace-normalized string, case-sensitively.
  function matchText(value, m) {
    const v = normalize(value);
    const t = normalize(m.text);
    if (m.exact) return v === t;
    return v.toLowerCase().includes(t.toLowerCase());
  }

  function isVisible(el) {
    if (!el.isConnected) return false;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible') return false;
    if (style.display === 'contents') {
      for (const c of el.children) if (isVisible(c)) return true;
      return false;
    }
    if (el.checkVisibility && !el.checkVisibility()) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }

  // Hidden from the accessibility tree: role and label queries skip these, as Playwright does.
  function isHiddenForAria(el) {
    for (let e = el; e; e = e.parentElement) {
      if (e.getAttribute('aria-hidden') === 'true') return true;
    }
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') return true;
    if (el.checkVisibility && !el.checkVisibility() && style.display !== 'contents') {
      // <option> inside a closed <select> is not rendered but stays in the tree.
      if (el.tagName === 'OPTION' || el.tagName === 'OPTGROUP') return false;
      return true;
    }
    return false;
  }

  const ROLES = new Set(('alert alertdialog application article banner blockquote button caption cell checkbox code ' +
    'columnheader combobox complementary contentinfo definition deletion dialog directory document emphasis feed figure ' +
    'form generic grid gridcell group heading img insertion link list listbox listitem log main marquee math menu menubar ' +
    'menuitem menuitemcheckbox menuitemradio meter navigation none note option paragraph presentation progressbar radio ' +
    'radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong ' +
    'subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip tree treegrid treeitem').split(' '));

  function hasAccessibleNameAttr(el) {
    return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') || el.hasAttribute('title');
  }

  function insideSectioning(el) {
    for (let e = el.parentElement; e; e = e.parentElement) {
      if (['ARTICLE', 'ASIDE', 'MAIN', 'NAV', 'SECTION'].includes(e.tagName)) return true;
    }
    return false;
  }

  function implicitRole(el) {
    const tag = el.tagName;
    switch (tag) {
      case 'A': case 'AREA': return el.hasAttribute('href') ? 'link' : null;
      case 'ARTICLE': return 'article';
      case 'ASIDE': return 'complementary';
      case 'BUTTON': return 'button';
      case 'DATALIST': return 'listbox';
      case 'DD': return 'definition';
      case 'DETAILS': return 'group';
      case 'DIALOG': return 'dialog';
      case 'DT': return 'term';
      case 'FIELDSET': return 'group';
      case 'FIGURE': return 'figure';
      case 'FOOTER': return insideSectioning(el) ? null : 'contentinfo';
      case 'FORM': return hasAccessibleNameAttr(el) ? 'form' : null;
      case 'H1': case 'H2': case 'H3': case 'H4': case 'H5': case 'H6': return 'heading';
      case 'HEADER': return insideSectioning(el) ? null : 'banner';
      case 'HR': return 'separator';
      case 'IMG': return el.getAttribute('alt') === '' && !hasAccessibleNameAttr(el) ? 'presentation' : 'img';
      case 'INPUT': {
        const type = (el.getAttribute('type') || 'text').toLowerCase();
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
        if (type === 'hidden') return null;
        if (type === 'file') return 'button';
        if (['email', 'tel', 'text', 'url', ''].includes(type)) return el.hasAttribute('list') ? 'combobox' : 'textbox';
        return 'textbox';
      }
      case 'LI': return 'listitem';
      case 'MAIN': return 'main';
      case 'MENU': case 'OL': case 'UL': return 'list';
      case 'METER': return 'meter';
      case 'NAV': return 'navigation';
      case 'OPTION': return 'option';
      case 'OUTPUT': return 'status';
      case 'P': return 'paragraph';
      case 'PROGRESS': return 'progressbar';
      case 'SECTION': return hasAccessibleNameAttr(el) ? 'region' : null;
      case 'SELECT': return el.hasAttribute('multiple') || el.size > 1 ? 'listbox' : 'combobox';
      case 'TABLE': return 'table';
      case 'TBODY': case 'THEAD': case 'TFOOT': return 'rowgroup';
      case 'TD': return 'cell';
      case 'TEXTAREA': return 'textbox';
      case 'TH': return el.getAttribute('scope') === 'row' ? 'rowheader' : 'columnheader';
      case 'TR': return 'row';
      case 'UL': return 'list';
      default: return null;
    }
  }

  function getRole(el) {
    const explicit = (el.getAttribute('role') || '').split(/\s+/).find(r => ROLES.has(r));
    if (explicit) return explicit === 'none' ? 'presentation' : explicit;
    return implicitRole(el);
  }

  // Roles whose accessible name comes from their content (WAI-ARIA "name from content").
  const NAME_FROM_CONTENT = new Set(['button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link',
    'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row', 'rowheader', 'switch', 'tab',
    'tooltip', 'treeitem']);

  function textFromContent(el) {
    let out = '';
    for (const n of el.childNodes) {
      if (n.nodeType === 3) out += n.data;
      else if (n.nodeType === 1) {
        if (SKIP.has(n.tagName) || isHiddenForAria(n)) continue;
        // Embedded controls add their value, never their own label (which may be this one).
        const inline = n.tagName === 'IMG' ? (n.getAttribute('alt') || '')
          : ['INPUT', 'TEXTAREA'].includes(n.tagName) ? (['checkbox', 'radio', 'password', 'hidden', 'file'].includes(n.type) ? '' : n.value || '')
          : n.tagName === 'SELECT' ? (n.selectedOptions[0] ? n.selectedOptions[0].textContent : '')
          : accNameInner(n, true);
        const display = getComputedStyle(n).display;
        out += display.startsWith('inline') ? inline : ' ' + inline + ' ';
      }
    }
    return out;
  }

  function idrefText(el, attr) {
    const ids = (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean);
    return ids.map(id => document.getElementById(id)).filter(Boolean).map(e => textFromContent(e)).join(' ');
  }

  function labelsText(el) {
    const labels = el.labels ? Array.from(el.labels) : [];
    return labels.map(l => normalize(textFromContent(l))).filter(Boolean);
  }

  // A simplified accname-1.2 computation: labelledby, aria-label, native label/alt/value,
  // content for roles that take their name from it, then title and placeholder.
  function accNameInner(el, recursing) {
    if (!recursing && el.hasAttribute('aria-labelledby')) {
      const t = normalize(idrefText(el, 'aria-labelledby'));
      if (t) return t;
    }
    const aria = normalize(el.getAttribute('aria-label'));
    if (aria) return aria;
    const tag = el.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (['button', 'submit', 'reset'].includes(type)) {
        return normalize(el.value || (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : ''));
      }
      if (type === 'image') return normalize(el.getAttribute('alt') || el.getAttribute('value') || 'Submit');
      const labels = labelsText(el);
      if (labels.length) return labels.join(' ');
      if (recursing) return normalize(el.value);
    }
    if (tag === 'IMG' || tag === 'AREA') {
      const alt = el.getAttribute('alt');
      if (alt !== null && normalize(alt)) return normalize(alt);
    }
    if (tag === 'FIELDSET') {
      const legend = el.querySelector(':scope > legend');
      if (legend) return normalize(textFromContent(legend));
    }
    if (tag === 'TABLE') {
      const caption = el.querySelector(':scope > caption');
      if (caption) return normalize(textFromContent(caption));
    }
    const role = getRole(el);
    if (recursing || NAME_FROM_CONTENT.has(role) || (tag === 'BUTTON')) {
      const t = normalize(textFromContent(el));
      if (t) return t;
    }
    return normalize(el.getAttribute('title') || el.getAttribute('placeholder') || '');
  }

  function accName(el) { return accNameInner(el, false); }

  // Playwright's elementText: input buttons by their value, everything else by its text.
  function elementText(el) {
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes((el.getAttribute('type') || '').toLowerCase())) {
      return normalize(el.value);
    }
    let out = '';
    const walk = (n) => {
      for (const c of n.childNodes) {
        if (c.nodeType === 3) out += c.data;
        else if (c.nodeType === 1 && !SKIP.has(c.tagName)) walk(c);
      }
    };
    walk(el);
    return normalize(out);
  }

  function ownText(el) {
    let out = '';
    for (const c of el.childNodes) if (c.nodeType === 3) out += c.data;
    if (el.tagName === 'INPUT') out += ' ' + (el.getAttribute('value') || '');
    return normalize(out);
  }

  function xpathOf(el) {
    const steps = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      let i = 1;
      for (let s = e.previousElementSibling; s; s = s.previousElementSibling) if (s.localName === e.localName) i++;
      steps.unshift(e.localName + '[' + i + ']');
    }
    return '/' + steps.join('/');
  }

  function allElements() {
    const out = [];
    const walk = (e) => {
      out.push(e);
      for (const c of e.children) walk(c);
    };
    walk(document.documentElement);
    return out;
  }

  function bodyElements() {
    return allElements().filter(e => !SKIP.has(e.tagName) && !insideSkipped(e));
  }

  function insideSkipped(e) {
    for (let p = e.parentElement; p; p = p.parentElement) if (SKIP.has(p.tagName)) return true;
    return false;
  }

  // Deepest elements whose text matches: an element is skipped when one of its children
  // matches on its own (Playwright returns the smallest element holding the text).
  function byText(m) {
    const hits = new Set();
    const els = bodyElements().filter(e => e.tagName !== 'HTML');
    for (const e of els) {
      if (!matchText(elementText(e), m)) continue;
      let childMatches = false;
      for (const c of e.children) if (!SKIP.has(c.tagName) && matchText(elementText(c), m)) { childMatches = true; break; }
      if (!childMatches) hits.add(e);
    }
    return els.filter(e => hits.has(e));
  }

  function byAttr(attr, m) {
    return bodyElements().filter(e => e.hasAttribute(attr) && matchText(e.getAttribute(attr), m));
  }

  function byLabel(m) {
    return bodyElements().filter(e => {
      if (isHiddenForAria(e)) return false;
      const names = labelsText(e);
      const aria = normalize(e.getAttribute('aria-label'));
      if (aria) names.push(aria);
      const by = normalize(idrefText(e, 'aria-labelledby'));
      if (by) names.push(by);
      return names.some(n => matchText(n, m));
    });
  }

  function byRole(role, name) {
    return bodyElements().filter(e => getRole(e) === role && !isHiddenForAria(e) && (!name || matchText(accName(e), name)));
  }

  function byXPath(expr) {
    const snap = document.evaluate(expr, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    const out = [];
    for (let i = 0; i < snap.snapshotLength; i++) {
      const n = snap.snapshotItem(i);
      if (n.nodeType === 1) out.push(n);
    }
    return out;
  }

  function evaluate(sel) {
    switch (sel.kind) {
      case 'css': return Array.from(document.querySelectorAll(sel.css));
      case 'xpath': return byXPath(sel.xpath);
      case 'role': return byRole(sel.role, sel.name);
      case 'text': return byText(sel.text);
      case 'label': return byLabel(sel.text);
      case 'placeholder': return byAttr('placeholder', sel.text);
      case 'alt': return byAttr('alt', sel.text);
      case 'title': return byAttr('title', sel.text);
      case 'test_id': return bodyElements().filter(e => e.getAttribute(sel.attribute) === sel.value);
      case 'tag_text': // cy.contains(tag, text): case-sensitive substring of the element's text
        return Array.from(document.querySelectorAll(sel.tag)).filter(e => elementText(e).includes(normalize(sel.text)));
      default: throw new Error('argus: unknown selector kind ' + sel.kind);
    }
  }

  function matchInfo(el) {
    return { xpath: xpathOf(el), tag: el.localName, role: getRole(el), name: accName(el),
      text: elementText(el).slice(0, 200), visible: isVisible(el), id: el.id || null, classes: classesOf(el),
      attributes: otherAttributes(el) };
  }

  function query(sel) {
    let els;
    try { els = evaluate(sel); } catch (e) { return { count: 0, matches: [], error: String(e && e.message || e) }; }
    return { count: els.length, matches: els.slice(0, 5).map(matchInfo) };
  }

  // Milliseconds from the navigation's start until `sel` matched exactly one visible
  // element (null while it does not). Found at once: it was there by the load event at the
  // latest, so that is the time counted (an upper bound, which is what a timeout needs).
  function visibleAt(sel) {
    let els;
    try { els = evaluate(sel); } catch (e) { return null; }
    if (els.length !== 1 || !isVisible(els[0])) return null;
    const nav = performance.getEntriesByType('navigation')[0];
    const loaded = nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : performance.now();
    return Math.round(Math.min(loaded, performance.now()));
  }

  function otherAttributes(el) {
    const out = {};
    for (const a of el.attributes) if (!['id', 'class', 'style'].includes(a.name)) out[a.name] = a.value;
    return out;
  }

  function classesOf(el) { return Array.from(el.classList); }

  function siblingIndex(el) {
    let i = 0;
    for (let s = el.previousElementSibling; s; s = s.previousElementSibling) i++;
    return i;
  }

  function fingerprint(el) {
    const path = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      path.unshift({ tag: e.localName, id: e.id || null, classes: classesOf(e), index: siblingIndex(e) });
    }
    return { url: location.href, tag: el.localName, id: el.id || null, classes: classesOf(el), text: ownText(el),
      attributes: otherAttributes(el), role: getRole(el), name: accName(el), path, xpath: xpathOf(el) };
  }

  function snapshot(sel) {
    let els;
    try { els = evaluate(sel); } catch (e) { return { count: 0, fingerprint: null, matches: [], error: String(e && e.message || e) }; }
    return { count: els.length, fingerprint: els.length === 1 ? fingerprint(els[0]) : null,
      matches: els.slice(0, 5).map(matchInfo) };
  }

  // Every element in document order as a row: [parent row, tag, id, classes, own text,
  // other attributes, visible]. Rust rebuilds paths and XPaths from the parent links.
  function scan() {
    const rows = [];
    const index = new Map();
    const walk = (e, parent) => {
      if (SKIP.has(e.tagName)) return;
      index.set(e, rows.length);
      const me = rows.length;
      rows.push([parent, e.localName, e.id || null, classesOf(e), ownText(e).slice(0, 500), otherAttributes(e), isVisible(e)]);
      for (const c of e.children) walk(c, me);
    };
    walk(document.documentElement, null);
    return rows;
  }

  const GENERATED = /\d{3,}|(^|[-_])(?=[a-f]*\d)[a-f0-9]{6,}($|[-_])|^(css|sc|jsx|emotion|svelte)-|^_/i;
  function stable(token) { return token && !GENERATED.test(token); }
  function cssEscape(s) { return CSS.escape(s); }
  function unique(css) {
    try { return document.querySelectorAll(css).length === 1; } catch (e) { return false; }
  }

  function segment(e, withNth) {
    let s = cssEscape(e.localName);
    const cls = classesOf(e).filter(stable);
    if (cls.length) s += '.' + cls.map(cssEscape).join('.');
    if (withNth && e.parentElement) {
      let n = 1;
      for (let p = e.previousElementSibling; p; p = p.previousElementSibling) if (p.localName === e.localName) n++;
      s += ':nth-of-type(' + n + ')';
    }
    return s;
  }

  // Unique CSS selectors for el, shortest first: id, tag+classes, then a child chain up to
  // the nearest ancestor with a stable id, adding :nth-of-type only where needed.
  function cssCandidates(el) {
    const out = [];
    if (el.id && stable(el.id) && unique('#' + cssEscape(el.id))) out.push('#' + cssEscape(el.id));
    const own = segment(el, false);
    if (own !== el.localName && unique(own)) out.push(own);
    let chain = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e !== el && e.id && stable(e.id) && unique('#' + cssEscape(e.id))) {
        const anchor = '#' + cssEscape(e.id);
        for (const short of [anchor + ' ' + cssEscape(el.localName), anchor + ' ' + own]) {
          if (unique(short) && document.querySelector(short) === el) out.push(short);
        }
        chain.unshift(anchor);
        break;
      }
      chain.unshift(segment(e, false));
      let css = chain.join(' > ');
      if (unique(css) && document.querySelector(css) === el) { out.push(css); break; }
      chain[0] = segment(e, true);
      css = chain.join(' > ');
      if (unique(css) && document.querySelector(css) === el) { out.push(css); break; }
      if (e.tagName === 'HTML') break;
    }
    const last = chain.join(' > ');
    if (!out.includes(last) && unique(last) && document.querySelector(last) === el) out.push(last);
    return Array.from(new Set(out)).sort((a, b) => a.length - b.length);
  }

  function describe(args) {
    const el = byXPath(args.xpath)[0];
    if (!el) return null;
    const testIds = {};
    for (const a of args.test_id_attributes) if (el.hasAttribute(a)) testIds[a] = el.getAttribute(a);
    const labels = labelsText(el);
    const aria = normalize(el.getAttribute('aria-label'));
    return Object.assign(matchInfo(el), { id: el.id || null, test_ids: testIds,
      placeholder: el.getAttribute('placeholder'), alt: el.getAttribute('alt'), title: el.getAttribute('title'),
      label: labels[0] || (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) ? aria || null : null),
      hidden_for_aria: isHiddenForAria(el), css: cssCandidates(el) });
  }

  return {
    version: 1,
    query,
    queryMany: (sels) => sels.map(query),
    visibleAt,
    snapshot,
    scan,
    describe,
    describeMany: (args) => args.xpaths.map(xpath => describe({ xpath, test_id_attributes: args.test_id_attributes })),
  };
})()
