// govgraph explorer: the network view. The page lists the same nodes and edges without
// JavaScript; this draws them with cytoscape.js and loads a node's neighbours on a click (or
// with the "Nachbarn laden" button of the list, for keyboard use) through the GraphQL API.
(function () {
  "use strict";
  var dataEl = document.getElementById("graph-data");
  var container = document.getElementById("netz");
  if (!dataEl || !container || typeof cytoscape !== "function") { return; }
  var graph = JSON.parse(dataEl.textContent);
  var colours = { Actor: "#0b4f9c", Agreement: "#7a2e00", Project: "#2e6b30", Service: "#5b3a8a", State: "#4d4d4d", Announcement: "#4d4d4d" };
  var pages = { Actor: "/akteur/", Agreement: "/vereinbarung/", Project: "/projekt/", Service: "/leistung/" };

  function nodeElement(n) {
    return { group: "nodes", data: { id: n.id, label: n.name || n.title || n.code || "", type: n.type || n.__typename, slug: n.slug, code: n.code, href: n.href } };
  }
  function edgeElement(e) {
    return { group: "edges", data: { id: e.id, source: e.source, target: e.target, label: e.label || e.predicate } };
  }
  var elements = graph.nodes.map(nodeElement).concat(graph.edges.map(edgeElement));
  var cy = cytoscape({
    container: container,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140, "width": 18, "height": 18, "background-color": function (n) { return colours[n.data("type")] || "#4d4d4d"; }, "color": "#1a1a1a", "text-valign": "bottom", "text-margin-y": 3 } },
      { selector: "node.centre", style: { "width": 28, "height": 28, "border-width": 3, "border-color": "#e07b00" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#1a1a1a" } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#9aa0a6", "target-arrow-color": "#9aa0a6", "target-arrow-shape": "triangle", "curve-style": "bezier", "label": "data(label)", "font-size": 8, "color": "#4d4d4d", "text-rotation": "autorotate" } }
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: 9000 }
  });
  if (graph.centre) { cy.getElementById(graph.centre).addClass("centre expanded"); }
  window.govgraphNetwork = cy;

  var list = document.getElementById("knoten-liste");
  var counter = document.getElementById("knoten-zahl");
  var NODE = "fragment N on Node { __typename id ... on Actor { name slug } ... on Agreement { name slug } ... on Project { name slug } ... on Service { name slug } ... on State { name code } }";
  var QUERY = "query($id: ID, $p: [Predicate!]) { neighbourhood(id: $id, depth: 1, predicates: $p) { nodes { ...N } edges { id predicate subject { id } object { id } } } } " + NODE;

  function pageOf(n) {
    if (pages[n.__typename] && n.slug) { return pages[n.__typename] + encodeURIComponent(n.slug); }
    if (n.__typename === "State" && n.code) { return "/land/" + n.code; }
    return null;
  }
  function addToList(n) {
    if (!list || list.querySelector('li[data-id="' + CSS.escape(n.id) + '"]')) { return; }
    var li = document.createElement("li");
    li.setAttribute("data-id", n.id);
    var href = pageOf(n);
    var name = n.name || n.code || n.id;
    if (href) { var a = document.createElement("a"); a.href = href; a.textContent = name; li.appendChild(a); } else { li.appendChild(document.createTextNode(name)); }
    li.appendChild(document.createTextNode(" "));
    var b = document.createElement("button");
    b.type = "button"; b.className = "expand"; b.setAttribute("data-id", n.id); b.textContent = "Nachbarn laden";
    li.appendChild(b);
    list.appendChild(li);
  }
  function expand(id) {
    var node = cy.getElementById(id);
    if (node.hasClass("expanded") || node.hasClass("loading")) { return Promise.resolve(); }
    node.addClass("loading");
    var predicates = graph.predicate ? [graph.predicate] : null;
    return fetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query: QUERY, variables: { id: id, p: predicates } }) })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        node.removeClass("loading");
        if (!answer.data || !answer.data.neighbourhood) { return; }
        var added = [];
        answer.data.neighbourhood.nodes.forEach(function (n) {
          if (cy.getElementById(n.id).empty()) {
            added.push({ group: "nodes", data: { id: n.id, label: n.name || n.code || "", type: n.__typename, slug: n.slug, code: n.code, href: pageOf(n) } });
            addToList(n);
          }
        });
        answer.data.neighbourhood.edges.forEach(function (e) {
          if (cy.getElementById(e.id).empty()) { added.push({ group: "edges", data: { id: e.id, source: e.subject.id, target: e.object.id, label: e.predicate.toLowerCase().replace(/_/g, " ") } }); }
        });
        cy.add(added);
        node.addClass("expanded");
        var button = list && list.querySelector('button.expand[data-id="' + CSS.escape(id) + '"]');
        if (button) { button.disabled = true; button.textContent = "geladen"; }
        if (counter) { counter.textContent = String(cy.nodes().length); }
        cy.layout({ name: "cose", animate: false, nodeRepulsion: 9000 }).run();
      })
      .catch(function () { node.removeClass("loading"); });
  }
  window.govgraphExpand = expand;
  cy.on("tap", "node", function (evt) { expand(evt.target.id()); });
  cy.on("dbltap", "node", function (evt) { var h = evt.target.data("href"); if (h) { window.location.href = h; } });
  if (list) {
    list.querySelectorAll("button.expand").forEach(function (b) { b.hidden = false; });
    list.addEventListener("click", function (evt) {
      var b = evt.target.closest("button.expand");
      if (b) { expand(b.getAttribute("data-id")); }
    });
  }
  if (graph.centre) {
    var centreButton = list && list.querySelector('button.expand[data-id="' + CSS.escape(graph.centre) + '"]');
    if (centreButton) { centreButton.disabled = true; centreButton.textContent = "geladen"; }
  }
}());
