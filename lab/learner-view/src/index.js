/**
 * The course's learner's view (a JupyterLab 4 / Notebook 7 front-end extension).
 *
 * A lesson is a notebook with the navigation cells scripts/nav.py writes (tagged "nav"), so
 * the extension leaves every other notebook alone.
 *
 * - Everywhere (JupyterLab and the Notebook view): a lesson whose cells only ran, with no
 *   source edited, is never marked modified, so nobody is asked to save it on closing.
 * - In the Notebook view (the learner's view, the site's root address): no code, no menus and
 *   no toolbar (nothing that restarts or chooses a kernel); the lesson's code cells run by
 *   themselves once the kernel is ready, with a plain status while it starts; links between
 *   lessons open the lesson in the same view; "Open in JupyterLab" is one link away.
 *
 * Auto-run is limited to the learner's view: in JupyterLab a person who wants the code runs
 * cells themselves.
 */
import { CodeCell } from '@jupyterlab/cells';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';

const NAV_TAG = 'nav';
const LESSON_CLASS = 'sk-Lesson';
const VIEW_CLASS = 'sk-LearnerView';
/** The words on screen, each written once. */
const WORDS = {
  starting: 'Getting the timers ready… starting Python in this browser (the first visit takes longest).',
  running: (done, total) => `Getting the timers ready… ${done} of ${total}`,
  failed: name => `Something went wrong getting this lesson ready (${name}). Reload the page to try again.`,
  openLab: 'Open in JupyterLab',
  openLabTitle: 'The same lesson with its code, in the JupyterLab editor'
};

/** True in the Notebook app (Notebook 7 and JupyterLite's notebooks/ page), not in JupyterLab. */
function inLearnerView() {
  return PageConfig.getOption('notebookPage') === 'notebooks';
}

/** True on a JupyterLite page: its apps are static index.html pages reading ?path=. */
function inLite() {
  return /\/(notebooks|lab)\/(index\.html)?$/.test(window.location.pathname);
}

function isLesson(model) {
  for (const cell of model.cells) {
    const tags = cell.getMetadata('tags');
    if (Array.isArray(tags) && tags.includes(NAV_TAG)) {
      return true;
    }
  }
  return false;
}

/** The address of a notebook in the learner's view, or in JupyterLab. */
function viewUrl(app, path, hash = '') {
  const base = PageConfig.getBaseUrl();
  const route = app === 'lab' ? 'lab' : 'notebooks';
  if (inLite()) {
    return `${URLExt.join(base, route, 'index.html')}?path=${encodeURIComponent(path)}${hash}`;
  }
  const prefix = app === 'lab' ? 'lab/tree' : 'notebooks';
  return URLExt.join(base, prefix, URLExt.encodeParts(path)) + hash;
}

/** What the notebook's user wrote: cell types and sources, never outputs or counts. */
function fingerprint(model) {
  const parts = [];
  for (const cell of model.cells) {
    parts.push([cell.type, cell.sharedModel.getSource()]);
  }
  return JSON.stringify(parts);
}

/** Keep a lesson clean while only its outputs change (no "save changes?" on closing it). */
function keepCleanWhenOnlyRun(context) {
  const model = context.model;
  let saved = fingerprint(model);
  context.fileChanged.connect(() => {
    saved = fingerprint(model);
  });
  model.stateChanged.connect((_, change) => {
    if (change.name === 'dirty' && change.newValue && fingerprint(model) === saved) {
      model.dirty = false;
    }
  });
  model.dirty = false;
}

/** The learner's bar above the lesson: the status line and the link to JupyterLab. */
class LearnerBar extends Widget {
  constructor(path) {
    super();
    this.addClass('sk-LearnerBar');
    this.status = document.createElement('p');
    this.status.className = 'sk-LearnerBar-status';
    this.status.setAttribute('role', 'status');
    const link = document.createElement('a');
    link.className = 'sk-LearnerBar-lab';
    link.href = viewUrl('lab', path);
    link.textContent = WORDS.openLab;
    link.title = WORDS.openLabTitle;
    this.inner = document.createElement('div');
    this.inner.className = 'sk-LearnerBar-inner';
    this.inner.append(this.status, link);
    this.node.append(this.inner);
  }

  say(text, failed = false) {
    this.status.textContent = text;
    this.status.classList.toggle('sk-mod-busy', Boolean(text) && !failed);
    this.status.classList.toggle('sk-mod-failed', failed);
    this.fit();
  }

  /** Lumino sizes the bar from its CSS limits, not its text: make room for a wrapped line. */
  fit() {
    const height = `${Math.ceil(this.inner.getBoundingClientRect().height)}px`;
    if (this.node.style.minHeight !== height) {
      this.node.style.minHeight = height;
      if (this.parent) {
        this.parent.fit();
      }
    }
  }

  onAfterAttach() {
    this.fit();
  }

  onResize() {
    this.fit();
  }
}

/** Wait for the kernel to answer (JupyterLite's Pyodide takes a while on a first visit). */
async function kernelReady(sessionContext) {
  await sessionContext.ready;
  for (;;) {
    const kernel = sessionContext.session && sessionContext.session.kernel;
    if (kernel) {
      await kernel.info;
      return;
    }
    await new Promise(resolve => sessionContext.kernelChanged.connect(resolve));
  }
}

/** Run every code cell of the lesson in order, saying how far it got; stop at an error. */
async function runLesson(panel, bar) {
  bar.say(WORDS.starting);
  await kernelReady(panel.sessionContext);
  const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
  for (const [i, cell] of cells.entries()) {
    bar.say(WORDS.running(i, cells.length));
    const reply = await CodeCell.execute(cell, panel.sessionContext);
    if (reply && reply.content.status !== 'ok') {
      bar.say(WORDS.failed(reply.content.ename || reply.content.status), true);
      return;
    }
  }
  bar.say('');
}

/** Links to other notebooks open them in the learner's view, on any static host. */
function sameViewLinks(node) {
  const files = URLExt.join(PageConfig.getBaseUrl(), 'files') + '/';
  node.addEventListener(
    'click',
    event => {
      const anchor = event.target.closest && event.target.closest('a[href]');
      if (!anchor || event.button !== 0) {
        return;
      }
      const url = new URL(anchor.href, window.location.href);
      const path = url.href.startsWith(files) ? decodeURIComponent(url.pathname.slice(new URL(files).pathname.length)) : '';
      if (!path.endsWith('.ipynb')) {
        return;
      }
      // Before JupyterLab's own handler, which routes to /tree (a 404 on a static host).
      event.preventDefault();
      event.stopImmediatePropagation();
      window.location.assign(viewUrl('notebooks', path, url.hash));
    },
    true
  );
}

/**
 * The notebook's cells list is an ARIA feed, whose items must be articles: name each cell one
 * (Notebook leaves them without a role, which axe reports as critical), now and as cells come.
 */
function cellsAsArticles(notebook) {
  const mark = () => {
    for (const cell of notebook.widgets) {
      cell.node.setAttribute('role', 'article');
    }
  };
  mark();
  notebook.model?.cells.changed.connect(() => requestAnimationFrame(mark));
}

function learnerView(app, panel) {
  panel.addClass(LESSON_CLASS);
  document.body.classList.add(VIEW_CLASS);
  panel.toolbar.hide();
  if (app.shell.menu && app.shell.menu.hide) {
    app.shell.menu.hide();
  }
  const bar = new LearnerBar(panel.context.path);
  panel.contentHeader.addWidget(bar);
  sameViewLinks(panel.node);
  cellsAsArticles(panel.content);
  runLesson(panel, bar).catch(error => bar.say(WORDS.failed(String(error)), true));
}

const plugin = {
  id: 'stretchkit-learner-view:plugin',
  description: "The course's learner's view: lessons with no code that run by themselves.",
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app, tracker) => {
    tracker.widgetAdded.connect(async (_, panel) => {
      await panel.context.ready;
      if (!isLesson(panel.context.model)) {
        return;
      }
      keepCleanWhenOnlyRun(panel.context);
      if (inLearnerView()) {
        learnerView(app, panel);
      }
    });
  }
};

export default plugin;
