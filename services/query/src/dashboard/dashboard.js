/*
 * The dashboard's one script: no framework, no build step, no third-party code.
 *
 * Token model: the user pastes a bearer token once; it is kept in sessionStorage (this tab only,
 * gone when the tab closes), sent only in the Authorization header of calls to this origin's /v1
 * API, never put in a URL, localStorage or the console.
 *
 * Every value from the API reaches the page through textContent or a DOM attribute, never as
 * markup: case data cannot become HTML or script (the page's Content-Security-Policy is the
 * second line of defence).
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'cto.dashboard.token';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var PAGE_SIZE = 100;

  var state = { authority: null, transfersCursor: null, teams: [] };

  function $(id) {
    return document.getElementById(id);
  }

  /** An element with text content and attributes; children appended as given. */
  function el(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) {
        node.setAttribute(name, attributes[name]);
      });
    }
    return node;
  }

  function svg(tag, attributes, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function row(cells, numeric) {
    var tr = document.createElement('tr');
    cells.forEach(function (cell, index) {
      var td = cell instanceof Node ? wrap('td', cell) : el('td', cell === null || cell === undefined ? '—' : cell);
      if (numeric && numeric.indexOf(index) >= 0) td.className = 'num';
      tr.appendChild(td);
    });
    return tr;
  }

  function wrap(tag, child) {
    var node = document.createElement(tag);
    node.appendChild(child);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function say(message) {
    $('status').textContent = message;
  }

  function problem(message) {
    var box = $('problem');
    if (!message) {
      box.hidden = true;
      box.textContent = '';
      return;
    }
    box.textContent = message;
    box.hidden = false;
  }

  // ---- the token -----------------------------------------------------------------------------

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** The claims of the token, read (not verified: the API verifies) to list its authorities. */
  function claims(jwt) {
    try {
      var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
    } catch {
      return {};
    }
  }

  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }

  /** GET a /v1 path with the bearer token; an error answer becomes an ApiError with the API's reason. */
  function api(path, params) {
    var query = new URLSearchParams();
    Object.keys(params || {}).forEach(function (name) {
      if (params[name] !== undefined && params[name] !== null && params[name] !== '') query.set(name, params[name]);
    });
    var url = path + (query.toString() ? '?' + query.toString() : '');
    return fetch(url, { headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' }).then(function (response) {
      return response.json().then(
        function (body) {
          if (response.ok) return body;
          throw new ApiError(response.status, reasonOf(body));
        },
        function () {
          throw new ApiError(response.status, response.statusText || 'no reason given');
        },
      );
    });
  }

  function reasonOf(body) {
    if (!body || typeof body !== 'object') return 'no reason given';
    var reasons = Array.isArray(body.errors)
      ? body.errors.map(function (e) {
          return (e.path ? e.path + ' ' : '') + (e.reason || '');
        })
      : [];
    return [body.message || body.error || 'no reason given'].concat(reasons).join('; ');
  }

  function explain(error) {
    if (error instanceof ApiError) {
      if (error.status === 401) {
        showScoped(false);
        $('token-state').textContent = 'The token was refused. Enter a valid token.';
        return 'The API refused the token (401 Unauthorized): ' + error.message + '. Enter a valid, unexpired token.';
      }
      if (error.status === 403) return 'The token may not read this (403 Forbidden): ' + error.message + '.';
      if (error.status === 404) return 'Not found (404): ' + error.message + '.';
      return 'The API answered ' + error.status + ': ' + error.message + '.';
    }
    return 'The API could not be reached: ' + (error && error.message ? error.message : 'network error') + '.';
  }

  function failed(error) {
    problem(explain(error));
    say('Something went wrong; see the message above.');
  }

  function showScoped(visible) {
    ['scope', 'waiting', 'escalations', 'chart', 'transfers'].forEach(function (id) {
      $(id).hidden = !visible;
    });
    if (!visible) $('child').hidden = true;
  }

  function useToken(value) {
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    $('token-state').textContent = 'A token is in use for this tab.';
    problem(null);
    return loadAuthorities();
  }

  function forgetToken() {
    sessionStorage.removeItem(TOKEN_KEY);
    $('token-state').textContent = 'No token is in use.';
    showScoped(false);
    problem(null);
    say('The token was forgotten. Enter an access token to begin.');
  }

  // ---- authority and its teams -----------------------------------------------------------------

  function loadAuthorities() {
    say('Loading the authorities this token may read…');
    return api('/v1/policies')
      .then(function (body) {
        var scoped = claims(token()).authorities;
        var authorities = [];
        var packOf = {};
        body.packs.forEach(function (pack) {
          pack.authorities.forEach(function (authority) {
            if (Array.isArray(scoped) && scoped.indexOf(authority) < 0) return;
            if (authorities.indexOf(authority) < 0) authorities.push(authority);
            packOf[authority] = pack.id;
          });
        });
        authorities.sort();
        state.packOf = packOf;
        var select = $('authority');
        clear(select);
        authorities.forEach(function (authority) {
          select.appendChild(el('option', authority, { value: authority }));
        });
        if (!authorities.length) {
          showScoped(false);
          problem('This token is not scoped to any authority with a policy pack in force.');
          say('No authority to show.');
          return;
        }
        $('scope').hidden = false;
        return showAuthority(authorities[0]);
      })
      .catch(failed);
  }

  function showAuthority(authority) {
    state.authority = authority;
    $('authority').value = authority;
    problem(null);
    say('Loading ' + authority + '…');
    $('child').hidden = true;
    return loadTeams(authority)
      .then(function () {
        return Promise.all([loadSummary(authority), loadEscalations(authority), loadTransfers(false)]);
      })
      .then(function () {
        say('Showing ' + authority + '.');
      })
      .catch(failed);
  }

  function loadTeams(authority) {
    return api('/v1/policies/' + encodeURIComponent(state.packOf[authority])).then(function (pack) {
      state.teams = (pack.teams || []).map(function (team) {
        return { code: team.code, name: team.name };
      });
      var select = $('filter-team');
      clear(select);
      select.appendChild(el('option', 'Any team', { value: '' }));
      state.teams.forEach(function (team) {
        select.appendChild(el('option', team.code + ' — ' + team.name, { value: team.code }));
      });
    });
  }

  function teamName(code) {
    for (var i = 0; i < state.teams.length; i++) if (state.teams[i].code === code) return code + ' (' + state.teams[i].name + ')';
    return code;
  }

  // ---- waiting and overdue per team, and the chart: GET /v1/reports/summary ----------------------

  function loadSummary(authority) {
    return api('/v1/reports/summary', { authority: authority }).then(function (summary) {
      $('as-of').textContent = 'Figures as of ' + summary.asOf + ' (London).';
      renderWaiting(summary.routes);
      renderChart(summary.routes);
      $('waiting').hidden = false;
      $('chart').hidden = false;
    });
  }

  function renderWaiting(routes) {
    var byTeam = {};
    routes.forEach(function (route) {
      var team = byTeam[route.toTeam] || (byTeam[route.toTeam] = { open: 0, overdue: 0 });
      team.open += route.open;
      team.overdue += route.overdue;
    });
    var teams = Object.keys(byTeam)
      .filter(function (code) {
        return byTeam[code].open > 0;
      })
      .sort();
    var body = $('waiting-table').tBodies[0];
    clear(body);
    var open = 0;
    var overdue = 0;
    teams.forEach(function (code) {
      open += byTeam[code].open;
      overdue += byTeam[code].overdue;
      var tr = row([teamName(code), byTeam[code].open, byTeam[code].overdue], [1, 2]);
      tr.setAttribute('data-team', code);
      body.appendChild(tr);
    });
    if (!teams.length) body.appendChild(row(['No transfers are waiting.', '', '']));
    $('waiting-total').textContent = open + ' waiting, ' + overdue + ' overdue.';
  }

  /** "10 working days" → 10; a target in another unit is shown as words, not drawn. */
  function workingDays(within) {
    var match = /^(\d+(?:\.\d+)?) working days?$/.exec(within || '');
    return match ? Number(match[1]) : null;
  }

  function renderChart(routes) {
    var body = $('chart-table').tBodies[0];
    clear(body);
    routes.forEach(function (route) {
      var figures = route.workingDaysToComplete || {};
      body.appendChild(
        row(
          [
            route.fromTeam + ' → ' + route.toTeam,
            route.ruleId,
            route.completed,
            figures.median,
            figures.p90,
            route.target ? route.target.within : 'none stated',
            route.target ? route.target.completedWithinTarget : null,
          ],
          [2, 3, 4, 6],
        ),
      );
    });
    if (!routes.length) body.appendChild(row(['No transfers yet.', '', '', '', '', '', '']));

    var holder = $('chart-svg');
    clear(holder);
    var drawn = routes.filter(function (route) {
      return route.workingDaysToComplete && route.workingDaysToComplete.median !== null;
    });
    if (!drawn.length) {
      holder.appendChild(el('p', 'No transfer has completed yet, so there is nothing to draw.'));
      return;
    }
    var max = 1;
    drawn.forEach(function (route) {
      max = Math.max(max, route.workingDaysToComplete.p90 || 0, route.workingDaysToComplete.median || 0, workingDays(route.target && route.target.within) || 0);
    });
    var labelWidth = 220;
    var plotWidth = 440;
    var rowHeight = 64;
    var width = labelWidth + plotWidth + 150;
    var height = drawn.length * rowHeight + 30;
    var scale = function (days) {
      return labelWidth + (days / max) * plotWidth;
    };
    var description = drawn
      .map(function (route) {
        var target = workingDays(route.target && route.target.within);
        return (
          route.fromTeam + ' to ' + route.toTeam + ': median ' + route.workingDaysToComplete.median + ', 90th percentile ' + route.workingDaysToComplete.p90 + ' working days' + (target !== null ? ', target ' + target : ', no working-day target')
        );
      })
      .join('; ');
    var chart = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Working days to complete a transfer, per route. ' + description + '.', class: 'chart' });
    chart.appendChild(svg('title', {}, 'Working days to complete a transfer, per route'));
    drawn.forEach(function (route, index) {
      var top = 10 + index * rowHeight;
      var figures = route.workingDaysToComplete;
      chart.appendChild(svg('text', { x: 0, y: top + 24, class: 'label' }, route.fromTeam + ' → ' + route.toTeam));
      // Two bars told apart by their words and pattern, not by colour alone.
      chart.appendChild(svg('rect', { x: labelWidth, y: top + 6, width: Math.max(1, scale(figures.median) - labelWidth), height: 18, class: 'bar median' }));
      chart.appendChild(svg('text', { x: scale(figures.median) + 6, y: top + 20, class: 'value' }, 'median ' + figures.median));
      chart.appendChild(svg('rect', { x: labelWidth, y: top + 28, width: Math.max(1, scale(figures.p90) - labelWidth), height: 18, class: 'bar p90' }));
      chart.appendChild(svg('text', { x: scale(figures.p90) + 6, y: top + 42, class: 'value' }, '90th percentile ' + figures.p90));
      var target = workingDays(route.target && route.target.within);
      if (target !== null) {
        chart.appendChild(svg('line', { x1: scale(target), x2: scale(target), y1: top + 2, y2: top + 52, class: 'target' }));
        chart.appendChild(svg('text', { x: scale(target) + 4, y: top + 60, class: 'value' }, 'target ' + target));
      }
    });
    chart.appendChild(svg('line', { x1: labelWidth, x2: labelWidth, y1: 0, y2: height - 20, class: 'axis' }));
    chart.appendChild(svg('text', { x: labelWidth, y: height - 4, class: 'value' }, '0 working days'));
    chart.appendChild(svg('text', { x: labelWidth + plotWidth, y: height - 4, class: 'value', 'text-anchor': 'end' }, max + ' working days'));
    holder.appendChild(chart);
  }

  // ---- open escalations by rung: GET /v1/escalations ---------------------------------------------

  function loadEscalations(authority) {
    return api('/v1/escalations', { authority: authority, status: 'open' }).then(function (body) {
      var byRung = {};
      body.escalations.forEach(function (escalation) {
        var key = escalation.rung + '\u0000' + escalation.role;
        var entry = byRung[key] || (byRung[key] = { rung: escalation.rung, role: escalation.role, alsoTold: [], open: 0, earliest: null });
        entry.open += 1;
        // Everyone the rung brought in beside its role (the procedure's "keep … updated"), once each.
        (escalation.alsoTold || []).forEach(function (role) {
          if (entry.alsoTold.indexOf(role) < 0) entry.alsoTold.push(role);
        });
        if (escalation.dueBy && (entry.earliest === null || escalation.dueBy < entry.earliest)) entry.earliest = escalation.dueBy;
      });
      var entries = Object.keys(byRung)
        .map(function (key) {
          return byRung[key];
        })
        .sort(function (a, b) {
          return a.rung - b.rung;
        });
      var tbody = $('escalations-table').tBodies[0];
      clear(tbody);
      entries.forEach(function (entry) {
        tbody.appendChild(row([entry.rung, entry.role, entry.alsoTold.sort().join(', ') || null, entry.open, entry.earliest], [0, 3]));
      });
      if (!entries.length) tbody.appendChild(row(['', 'No open escalations.', '', '', '']));
      $('escalations-total').textContent = body.escalations.length + ' open escalation' + (body.escalations.length === 1 ? '' : 's') + '.';
      $('escalations').hidden = false;
    });
  }

  // ---- the transfers table: GET /v1/transfers ----------------------------------------------------

  function filters() {
    return { status: $('filter-status').value, team: $('filter-team').value, overdue: $('filter-overdue').value };
  }

  function loadTransfers(more) {
    var params = filters();
    params.authority = state.authority;
    params.limit = PAGE_SIZE;
    if (more && state.transfersCursor) params.cursor = state.transfersCursor;
    return api('/v1/transfers', params).then(function (body) {
      var tbody = $('transfers-table').tBodies[0];
      if (!more) clear(tbody);
      body.transfers.forEach(function (transfer) {
        var open = el('button', transfer.childId, { type: 'button', class: 'link', 'data-child': transfer.childId });
        open.setAttribute('aria-label', 'Open the record of child ' + transfer.childId);
        // A rejection's or withdrawal's reason, with the paragraph behind it (a lapsed referral cites
        // its deadline: a person must present it again).
        var closed = transfer.closedReason ? transfer.closedReason + (transfer.closedCitation ? ' (' + transfer.closedCitation + ')' : '') : null;
        var tr = row([open, transfer.fromTeam, transfer.toTeam, transfer.status, transfer.dueBy, transfer.overdue ? 'Yes' : 'No', transfer.citation, closed]);
        tr.setAttribute('data-transfer', transfer.transferId);
        if (transfer.overdue) tr.className = 'overdue';
        tbody.appendChild(tr);
      });
      state.transfersCursor = body.nextCursor;
      $('more-transfers').hidden = !body.nextCursor;
      var shown = tbody.querySelectorAll('tr[data-transfer]').length;
      $('transfers-count').textContent = shown + ' transfer' + (shown === 1 ? '' : 's') + ' shown' + (body.nextCursor ? '; more are available.' : '.');
      $('transfers').hidden = false;
    });
  }

  // ---- one child: events, transfers, explanation ---------------------------------------------------

  function openChild(childId) {
    var authority = state.authority;
    problem(null);
    say('Loading the record of child ' + childId + '…');
    var params = { authority: authority };
    var base = '/v1/children/' + encodeURIComponent(childId);
    return Promise.all([api(base + '/transfers', params), api(base + '/events', params), api(base + '/explanation', params)])
      .then(function (answers) {
        renderChild(childId, answers[0].transfers, answers[1].events, answers[2]);
        say('Showing the record of child ' + childId + ' in ' + authority + '.');
        $('child-heading').focus();
      })
      .catch(failed);
  }

  function renderChild(childId, transfers, events, explanation) {
    $('child-heading').textContent = 'Child ' + childId;
    var tbody = $('child-transfers').tBodies[0];
    clear(tbody);
    transfers.forEach(function (t) {
      tbody.appendChild(row([t.fromTeam, t.toTeam, t.status, t.dueBy, t.ruleId, t.citation]));
    });
    if (!transfers.length) tbody.appendChild(row(['No transfers.', '', '', '', '', '']));

    var decisions = $('child-decisions');
    clear(decisions);
    events
      .filter(function (e) {
        return e.kind === 'decision';
      })
      .forEach(function (e) {
        var data = e.data || {};
        var item = el('li');
        item.appendChild(el('strong', e.type));
        item.appendChild(document.createTextNode(' on ' + String(e.occurredAt).slice(0, 10)));
        var details = el('dl');
        [
          ['Rule', data.ruleId],
          ['Citation', data.citation],
          ['Route', data.fromTeam && data.toTeam ? data.fromTeam + ' → ' + data.toTeam : null],
          ['Due by', data.dueBy],
          ['Reason', typeof data.reason === 'string' ? data.reason : null],
        ].forEach(function (pair) {
          if (pair[1] === undefined || pair[1] === null || pair[1] === '') return;
          details.appendChild(el('dt', pair[0]));
          details.appendChild(el('dd', pair[1], pair[0] === 'Citation' ? { class: 'citation' } : undefined));
        });
        item.appendChild(details);
        decisions.appendChild(item);
      });
    if (!decisions.children.length) decisions.appendChild(el('li', 'No decisions yet.'));

    var facts = $('child-explanation');
    clear(facts);
    (explanation.facts || []).forEach(function (fact) {
      var item = el('li');
      item.appendChild(el('strong', fact.type));
      item.appendChild(document.createTextNode(' on ' + fact.occurredOn + (fact.heldBy ? ', held by ' + fact.heldBy : '')));
      if (fact.rules && fact.rules.length) {
        var rules = el('ul');
        fact.rules.forEach(function (rule) {
          var line = el('li');
          line.appendChild(el('span', rule.ruleId + ': ' + rule.outcome));
          line.appendChild(document.createTextNode(' — '));
          line.appendChild(el('span', rule.citation, { class: 'citation' }));
          if (rule.account && rule.account.length) line.appendChild(el('p', rule.account.join(' '), { class: 'account' }));
          rules.appendChild(line);
        });
        item.appendChild(rules);
      } else {
        item.appendChild(el('p', 'No rule is triggered by this fact.', { class: 'account' }));
      }
      facts.appendChild(item);
    });
    $('child').hidden = false;
  }

  // ---- wiring ----------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', function () {
    $('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var value = $('token').value.trim().replace(/^Bearer\s+/i, '');
      if (!value) {
        problem('Enter a token first.');
        $('token').focus();
        return;
      }
      useToken(value);
    });
    $('forget-token').addEventListener('click', forgetToken);
    $('scope-form').addEventListener('submit', function (event) {
      event.preventDefault();
      showAuthority($('authority').value);
    });
    $('authority').addEventListener('change', function () {
      showAuthority($('authority').value);
    });
    $('filters').addEventListener('submit', function (event) {
      event.preventDefault();
      problem(null);
      loadTransfers(false).catch(failed);
    });
    $('more-transfers').addEventListener('click', function () {
      loadTransfers(true).catch(failed);
    });
    $('transfers-table').addEventListener('click', function (event) {
      var target = event.target;
      if (target && target.getAttribute && target.getAttribute('data-child')) openChild(target.getAttribute('data-child'));
    });
    if (token()) {
      $('token-state').textContent = 'A token is in use for this tab.';
      loadAuthorities();
    }
  });
})();
