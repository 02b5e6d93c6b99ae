/* The decision wizard: the page "Which IPC mechanism?" asks the catalog's questions one at a
 * time and shows the engine's advice for the answers.
 *
 * Everything it shows comes from the wizard's data file (wizard-data.js beside this script,
 * written at build time by adrgen.site.wizard): a tree of the interview's questions whose
 * ends hold the engine's results. This script only walks that tree: which question comes
 * next, and what the catalog recommends, are looked up, never worked out here.
 *
 * Text from the catalog and from the reader goes into the page as text (textContent), never
 * as markup. Nothing is sent anywhere: the answers file is made in the page and downloaded.
 * The answers are kept in the page's address (#same_host=true&...), so a link shows the
 * same advice.
 */
(function () {
  "use strict";

  var ROOT_ID = "adrgen-wizard";
  var DATA_GLOBAL = "adrgenWizardData";
  var DATA_FILE = "wizard-data.js";
  var ANSWERS_FILE = "answers.yaml";
  var FORMAT = "wizard-1";
  var STATUS_WORDS = {
    ranked: "meets every need, ranked lower",
    "falls-short": "falls short of a need",
    excluded: "ruled out"
  };
  var here = document.currentScript ? document.currentScript.src : "";
  var loading = null;

  // --- building the page's elements ---------------------------------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "className") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function button(label, onClick, className) {
    var node = el("button", { type: "button", className: "md-button " + (className || "") }, [label]);
    node.addEventListener("click", onClick);
    return node;
  }

  // --- loading the data -----------------------------------------------------------------

  function dataAddress(version) {
    // beside this script; the version makes a browser fetch the data of this build
    var base = here.replace(/[^/]*$/, "");
    return base + DATA_FILE + (version ? "?v=" + encodeURIComponent(version) : "");
  }

  function withData(version, done, failed) {
    if (window[DATA_GLOBAL]) { done(window[DATA_GLOBAL]); return; }
    if (!loading) {
      loading = { done: [], failed: [] };
      var script = document.createElement("script");
      script.src = dataAddress(version);
      script.onload = function () {
        var waiting = loading;
        loading = null;
        waiting.done.forEach(function (f) { f(window[DATA_GLOBAL]); });
      };
      script.onerror = function () {
        var waiting = loading;
        loading = null;
        waiting.failed.forEach(function (f) { f(); });
      };
      document.head.appendChild(script);
    }
    loading.done.push(done);
    loading.failed.push(failed);
  }

  // --- the wizard -------------------------------------------------------------------------

  function Wizard(root, data) {
    this.root = root;
    this.data = data;
    this.steps = [];  // [{q: question index, choice: answer index}] along the path
    this.ahead = [];  // steps undone by Back, for Next to redo
    this.remembered = {};  // fact -> the answer last given, shown checked when asked again
    this.form = { title: "", context: "", deciders: "" };
  }

  Wizard.prototype.node = function () {
    var node = this.data.tree;
    this.steps.forEach(function (step) { node = node[step.choice + 1]; });
    return node;
  };

  Wizard.prototype.question = function (index) {
    return this.data.questions[index];
  };

  Wizard.prototype.answer = function (step) {
    return this.question(step.q).choices[step.choice];
  };

  // the answers in the address: fact=value, in the order asked
  Wizard.prototype.address = function () {
    var self = this;
    return this.steps.map(function (step) {
      var question = self.question(step.q);
      return encodeURIComponent(question.fact) + "=" +
        encodeURIComponent(String(question.choices[step.choice][1]));
    }).join("&");
  };

  Wizard.prototype.restore = function (hash) {
    var wanted = {};
    hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts.length !== 2) return;
      try {
        wanted[decodeURIComponent(parts[0])] = decodeURIComponent(parts[1]);
      } catch (error) { /* not ours */ }
    });
    var node = this.data.tree;
    while (Array.isArray(node)) {
      var question = this.question(node[0]);
      if (!Object.prototype.hasOwnProperty.call(wanted, question.fact)) break;
      var choice = -1;
      question.choices.forEach(function (c, i) {
        if (String(c[1]) === wanted[question.fact]) choice = i;
      });
      if (choice < 0) break;
      this.steps.push({ q: node[0], choice: choice });
      this.remembered[question.fact] = choice;
      node = node[choice + 1];
    }
  };

  Wizard.prototype.go = function (change) {
    change();
    this.render(true);
  };

  Wizard.prototype.answerWith = function (choice) {
    var node = this.node();
    var step = { q: node[0], choice: choice };
    var next = this.ahead[this.ahead.length - 1];
    if (next && next.q === step.q && next.choice === step.choice) this.ahead.pop();
    else this.ahead = [];
    this.remembered[this.question(step.q).fact] = choice;
    this.steps.push(step);
  };

  Wizard.prototype.back = function () {
    if (this.steps.length) this.ahead.push(this.steps.pop());
  };

  // go back to the question of `position` on the path, keeping the later answers to offer
  Wizard.prototype.backTo = function (position) {
    while (this.steps.length > position) this.back();
  };

  Wizard.prototype.restart = function () {
    this.steps = [];
    this.ahead = [];
    this.remembered = {};
  };

  Wizard.prototype.render = function (moved) {
    var node = this.node();
    var view;
    if (Array.isArray(node)) view = this.questionView(node);
    else if (typeof node === "number") view = this.resultView(this.data.results[node]);
    else view = this.conflictView(node.conflict);
    this.root.textContent = "";
    this.root.appendChild(view);
    if (this.steps.length) this.root.appendChild(this.answersView());
    if (window.history && window.history.replaceState) {
      var address = this.address();
      var url = window.location.href.replace(/#.*$/, "") + (address ? "#" + address : "");
      window.history.replaceState(window.history.state, "", url);
    }
    if (moved) {
      var heading = this.root.querySelector("h2");
      if (heading) heading.focus();
    }
  };

  Wizard.prototype.heading = function (text) {
    return el("h2", { tabindex: "-1", className: "adrgen-wizard-heading" }, [text]);
  };

  // --- one question ---------------------------------------------------------------------

  Wizard.prototype.questionView = function (node) {
    var self = this;
    var question = this.question(node[0]);
    var number = this.steps.length + 1;
    var hints = question.hints.map(function (hint, i) {
      return el("p", { className: "adrgen-wizard-hint", id: "adrgen-wizard-hint-" + i }, [hint]);
    });
    if (question.checklist && this.data.links[question.checklist]) {
      hints.push(el("p", { className: "adrgen-wizard-hint" }, [
        el("a", { href: this.data.links[question.checklist] }, ["This question in the decision checklist"])
      ]));
    }
    var remembered = this.remembered[question.fact];
    var choices = question.choices.map(function (choice, i) {
      var id = "adrgen-wizard-choice-" + i;
      var input = el("input", {
        type: "radio", name: "answer", id: id, value: String(i),
        checked: remembered === i
      });
      return el("label", { className: "adrgen-wizard-choice", "for": id }, [
        input, el("span", {}, [choice[0]])
      ]);
    });
    var problem = el("p", { className: "adrgen-wizard-problem", role: "alert" });
    var form = el("form", { className: "adrgen-wizard-step", "data-fact": question.fact }, [
      this.heading("Question " + number),
      el("fieldset", {
        "aria-describedby": question.hints.map(function (_, i) {
          return "adrgen-wizard-hint-" + i;
        }).join(" ") || null
      }, [el("legend", {}, [question.prompt])].concat(hints, choices)),
      problem,
      el("div", { className: "adrgen-wizard-buttons" }, [
        this.steps.length ? button("Back", function () {
          self.go(function () { self.back(); });
        }) : null,
        el("button", { type: "submit", className: "md-button md-button--primary" }, ["Next"])
      ])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[name=answer]:checked");
      if (!chosen) {
        problem.textContent = "Choose an answer first.";
        return;
      }
      self.go(function () { self.answerWith(Number(chosen.value)); });
    });
    return form;
  };

  // --- answers so far -------------------------------------------------------------------

  Wizard.prototype.answersView = function () {
    var self = this;
    var items = this.steps.map(function (step, position) {
      var question = self.question(step.q);
      return el("li", {}, [
        el("span", { className: "adrgen-wizard-question" }, [question.prompt]),
        " ",
        el("strong", {}, [question.choices[step.choice][0]]),
        " ",
        button("Change", function () {
          self.go(function () { self.backTo(position); });
        }, "adrgen-wizard-change")
      ]);
    });
    var list = el("ol", { className: "adrgen-wizard-answers" }, items);
    return el("section", { className: "adrgen-wizard-so-far", "aria-labelledby": "adrgen-wizard-so-far" }, [
      el("h2", { id: "adrgen-wizard-so-far" }, ["Your answers"]), list
    ]);
  };

  // --- answers in conflict --------------------------------------------------------------

  Wizard.prototype.conflictView = function (warnings) {
    var self = this;
    var warning = this.data.warnings[warnings[0]];
    var buttons = warning.facts.map(function (fact) {
      var position = -1;
      self.steps.forEach(function (step, i) {
        if (self.question(step.q).fact === fact) position = i;
      });
      if (position < 0) return null;
      var step = self.steps[position];
      return el("li", {}, [button(
        self.question(step.q).prompt + " (now: " + self.answer(step)[0] + ")",
        function () { self.go(function () { self.backTo(position); }); }
      )]);
    });
    return el("section", { className: "adrgen-wizard-step adrgen-wizard-conflict" }, [
      this.heading("These answers conflict"),
      el("p", {}, [warning.text]),
      el("p", {}, ["Which answer do you want to give again? The other answers stay as they are."]),
      el("ul", { className: "adrgen-wizard-again" }, buttons)
    ]);
  };

  // --- the advice -----------------------------------------------------------------------

  Wizard.prototype.mechanism = function (index) {
    return this.data.mechanisms[index];
  };

  Wizard.prototype.mechanismLink = function (mechanism) {
    var href = this.data.links[mechanism.cite];
    return href ? el("a", { href: href }, [mechanism.name]) : el("span", {}, [mechanism.name]);
  };

  Wizard.prototype.stance = function (mechanism) {
    return el("span", {
      className: "adrgen-stance adrgen-stance-" + mechanism.stance.replace(/[^a-z0-9-]/g, "-")
    }, [mechanism.stance]);
  };

  Wizard.prototype.reasonItem = function (index) {
    var self = this;
    var reason = this.data.reasons[index];
    var cites = [];
    reason[1].forEach(function (cite, i) {
      if (i) cites.push(", ");
      var href = self.data.links[cite];
      cites.push(href ? el("a", { href: href }, [cite]) : el("code", {}, [cite]));
    });
    return el("li", {}, [reason[0]].concat(
      cites.length ? [" ", el("span", { className: "adrgen-wizard-cites" }, ["("].concat(cites, [")"]))] : []
    ));
  };

  Wizard.prototype.reasonList = function (indexes) {
    var self = this;
    return el("ul", { className: "adrgen-wizard-reasons" }, indexes.map(function (i) {
      return self.reasonItem(i);
    }));
  };

  Wizard.prototype.resultView = function (result) {
    var self = this;
    if (result.problem !== undefined) {
      return el("section", { className: "adrgen-wizard-step" }, [
        this.heading("No recommendation"),
        el("p", {}, [result.problem]),
        this.navigation()
      ]);
    }
    var chosen = this.mechanism(result.mechanism);
    var parts = [
      this.heading("Recommendation"),
      el("p", { className: "adrgen-wizard-chosen", "data-mechanism": chosen.id }, [
        this.mechanismLink(chosen), " ", this.stance(chosen)
      ]),
      el("p", { className: "adrgen-wizard-outcome" }, [
        "Outcome: " + (this.data.outcomes[result.outcome] || result.outcome) + "."
      ]),
      el("p", { className: "adrgen-wizard-stance" }, [
        "Stance " + chosen.stance + ": " + (this.data.stances[chosen.stance] || "") + " " + chosen.stance_note
      ])
    ];
    if (result.control) {
      var control = this.mechanism(result.control.mechanism);
      parts.push(
        el("h3", {}, ["Control channel"]),
        el("p", { className: "adrgen-wizard-control", "data-mechanism": control.id }, [
          this.mechanismLink(control), " ", this.stance(control),
          " beside " + chosen.name + ", which carries the data"
        ]),
        this.reasonList(result.control.reasons)
      );
    }
    result.warnings.forEach(function (index) {
      var warning = self.data.warnings[index];
      parts.push(el("div", { className: "admonition warning" }, [
        el("p", { className: "admonition-title" }, ["Conflicting answers"]),
        el("p", {}, [warning.text + (warning.set_aside ? " Set aside: " + warning.set_aside + "." : "")])
      ]));
    });
    if (result.unmet.length) {
      parts.push(el("div", { className: "admonition warning" }, [
        el("p", { className: "admonition-title" }, ["No mechanism meets every need"]),
        el("ul", {}, result.unmet.map(function (text) { return el("li", {}, [text]); }))
      ]));
    }
    parts.push(el("h3", {}, ["Why"]), this.reasonList(result.reasons));
    parts.push.apply(parts, this.alternativesView(result.alternatives));
    parts.push.apply(parts, this.recordView(result, chosen));
    parts.push(this.navigation());
    return el("section", { className: "adrgen-wizard-step adrgen-wizard-result" }, parts);
  };

  Wizard.prototype.alternativesView = function (alternatives) {
    var self = this;
    function item(alternative) {
      var mechanism = self.mechanism(alternative[0]);
      return el("li", { "data-mechanism": mechanism.id }, [
        self.mechanismLink(mechanism), " ", self.stance(mechanism),
        " " + STATUS_WORDS[alternative[1]],
        self.reasonList(alternative[2])
      ]);
    }
    var near = alternatives.filter(function (a) { return a[1] !== "excluded"; });
    var out = alternatives.filter(function (a) { return a[1] === "excluded"; });
    var parts = [el("h3", {}, ["Alternatives"])];
    if (near.length) parts.push(el("ul", { className: "adrgen-wizard-alternatives" }, near.map(item)));
    if (out.length) {
      parts.push(el("details", { className: "adrgen-wizard-ruled-out" }, [
        el("summary", {}, ["Ruled out for these answers (" + out.length + ")"]),
        el("ul", { className: "adrgen-wizard-alternatives" }, out.map(item))
      ]));
    }
    return parts;
  };

  Wizard.prototype.navigation = function () {
    var self = this;
    return el("div", { className: "adrgen-wizard-buttons" }, [
      button("Back", function () { self.go(function () { self.back(); }); }),
      button("Start again", function () { self.go(function () { self.restart(); }); })
    ]);
  };

  // --- the record: answers file, command, preview ----------------------------------------

  Wizard.prototype.facts = function () {
    var self = this;
    return this.steps.map(function (step) {
      return [self.question(step.q).fact, self.answer(step)[1]];
    });
  };

  Wizard.prototype.recordView = function (result, chosen) {
    var self = this;
    var form = this.form;
    function field(name, label, hint, control) {
      var id = "adrgen-wizard-" + name;
      control.id = id;
      control.value = form[name];
      control.setAttribute("aria-describedby", id + "-hint");
      control.addEventListener("input", function () {
        form[name] = control.value;
        update();
      });
      return el("div", { className: "adrgen-wizard-field" }, [
        el("label", { "for": id }, [label]),
        el("p", { className: "adrgen-wizard-hint", id: id + "-hint" }, [hint]),
        control
      ]);
    }
    var title = el("input", { type: "text", maxlength: "300", autocomplete: "off", required: true });
    var context = el("textarea", { rows: "4" });
    var deciders = el("input", { type: "text", autocomplete: "off" });
    var problem = el("p", { className: "adrgen-wizard-problem", role: "alert" });
    function save() {
      if (!form.title.trim()) {
        problem.textContent = "Give the decision a title first.";
        title.focus();
        return;
      }
      problem.textContent = "";
      var blob = new Blob([answersYaml(self.data, form, self.facts())], { type: "application/yaml" });
      var link = el("a", { href: URL.createObjectURL(blob), download: ANSWERS_FILE });
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    }
    var download = el("button", {
      type: "submit", className: "md-button md-button--primary adrgen-wizard-download"
    }, ["Download the answers file"]);
    var preview = el("div", { className: "adrgen-wizard-preview", "aria-labelledby": "adrgen-wizard-preview" });

    function update() {
      preview.textContent = "";
      var name = form.title.trim() || "(the title)";
      preview.appendChild(el("p", { className: "adrgen-wizard-preview-title" }, [name]));
      preview.appendChild(el("p", { className: "adrgen-wizard-preview-heading" }, ["Decision Drivers"]));
      preview.appendChild(el("ul", {}, self.steps.map(function (step) {
        var choice = self.answer(step);
        return el("li", {}, [choice[2] || self.question(step.q).prompt + " " + choice[0]]);
      })));
      preview.appendChild(el("p", { className: "adrgen-wizard-preview-heading" }, ["Decision Outcome"]));
      preview.appendChild(el("p", {}, ["Chosen option: \u201c" + chosen.name + "\u201d, because: \u2026"]));
      if (result.control) {
        var control = self.mechanism(result.control.mechanism);
        preview.appendChild(el("p", {}, [
          "Control channel: \u201c" + control.name + "\u201d (" + control.stance + "), beside " +
          chosen.name + " for the data, because: \u2026"
        ]));
      }
    }
    update();
    // novalidate: the page says what is missing in its own words, and moves the focus there
    var record = el("form", {
      className: "adrgen-wizard-record", "aria-label": "The decision record", novalidate: true
    }, [
      field("title", "Title", "One line, such as: CLI talks to the local build daemon", title),
      field("context", "Context", "The problem in your team's words; may be left empty", context),
      field("deciders", "Deciders", "Names, separated by commas", deciders),
      problem,
      el("div", { className: "adrgen-wizard-buttons" }, [download])
    ]);
    record.addEventListener("submit", function (event) {
      event.preventDefault();
      save();
    });
    return [
      el("h3", {}, ["Write the decision record"]),
      el("p", {}, [
        "Give the decision a title, the context in your team's words and who decides; download the " +
        "answers file and run the command where the records are kept. The page sends nothing anywhere."
      ]),
      record,
      el("p", {}, ["Then run:"]),
      el("pre", { className: "adrgen-wizard-command" }, [
        el("code", {}, ["adrgen new --answers " + ANSWERS_FILE + " --no-input"])
      ]),
      el("h4", { id: "adrgen-wizard-preview" }, ["Preview of the record\u2019s decision"]),
      el("p", { className: "adrgen-wizard-hint" }, [
        "As adrgen's default template (MADR) writes it. Where the preview has \u2026 the record gives " +
        "the reasons that decided the outcome, worded with these answers and quoting your context " +
        "where it speaks of them; then the options weighed and what the team now owns."
      ]),
      preview
    ];
  };

  // --- the answers file -----------------------------------------------------------------

  // a double-quoted YAML scalar any YAML reader takes back to the same text: JSON's escapes,
  // and every character outside printable ASCII escaped too (YAML reads U+2028 as a line break)
  function yamlString(text) {
    var whole = typeof text.toWellFormed === "function" ? text.toWellFormed() : wellFormed(text);
    return JSON.stringify(whole).replace(/[\u007f-\uffff]/g, function (c) {
      var code = c.charCodeAt(0);
      if (code >= 0xd800 && code <= 0xdfff) return c;  // half of a pair: kept whole, as UTF-8
      return "\\u" + ("0000" + code.toString(16)).slice(-4);
    });
  }

  function wellFormed(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        var next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) { out += text.charAt(i) + text.charAt(i + 1); i++; continue; }
      }
      out += code >= 0xd800 && code <= 0xdfff ? "\ufffd" : text.charAt(i);
    }
    return out;
  }

  function answersYaml(data, form, facts) {
    var deciders = form.deciders.split(",").map(function (name) { return name.trim(); })
      .filter(function (name) { return name; });
    var catalog = data.catalog;
    var lines = [
      "# adrgen answers from the decision wizard (catalog " + catalog.name + " " + catalog.version +
        (catalog.overlay ? ", overlay " + catalog.overlay : "") + ")",
      "# adrgen new --answers " + ANSWERS_FILE + " --no-input",
      "title: " + yamlString(form.title.trim()),
      "context: " + yamlString(form.context.trim()),
      "deciders: [" + deciders.map(yamlString).join(", ") + "]",
      "facts:"
    ];
    facts.forEach(function (fact) {
      var value = typeof fact[1] === "string" ? yamlString(fact[1]) : JSON.stringify(fact[1]);
      lines.push("  " + fact[0] + ": " + value);
    });
    return lines.join("\n") + "\n";
  }

  // --- start ----------------------------------------------------------------------------

  function setUp() {
    var spot = document.getElementById(ROOT_ID);
    if (!spot || spot.getAttribute("data-adrgen-ready")) return;
    var version = spot.getAttribute("data-adrgen-version");
    var root = el("div", {
      id: ROOT_ID, className: "adrgen-wizard", "data-adrgen-ready": "1"
    }, [el("p", {}, ["Loading the questions\u2026"])]);
    spot.parentNode.replaceChild(root, spot);
    withData(version, function (data) {
      if (!data || data.format !== FORMAT) {
        root.textContent = "The wizard's data does not match this page; build the site again.";
        return;
      }
      var wizard = new Wizard(root, data);
      wizard.restore(window.location.hash || "");
      wizard.render(false);
      root.setAttribute("data-adrgen-loaded", "1");
    }, function () {
      root.textContent = "The wizard's data (" + DATA_FILE + ") could not be loaded.";
    });
  }

  window.adrgenOnEachPage(setUp);  // from adrgen.js, which every page loads first
})();
