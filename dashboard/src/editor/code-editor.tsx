/**
 * Monaco on one action's code. The model is a `.js` file checked against the trigger's types;
 * its markers are reported as problems while the user types. Ctrl/Cmd+S saves. Tab indents;
 * Ctrl+M makes Tab move focus instead, as in VS Code, so keyboard users can leave the editor.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { monaco, useActionTypes } from './monaco.ts';
import { type Problem, toProblems } from './problems.ts';

export interface CodeEditorProps {
  /** A stable virtual path, e.g. `file:///actions/<id>.js`. */
  path: string;
  /**
   * The text the editor starts with. The editor owns the text from then on and reports each
   * change; it is never pushed back in (a render that lags the user's typing would undo keys).
   */
  initialValue: string;
  onChange: (value: string) => void;
  trigger: { id: string; apiType: string };
  /** The action's npm dependencies: `require()` of these is known to the type checker. */
  dependencies: readonly string[];
  /** The problems of the code; `checked` is false until the type checker has looked at it once. */
  onProblems: (problems: Problem[], checked: boolean) => void;
  onSave: () => void;
  readOnly?: boolean;
  label: string;
}

export interface CodeEditorHandle {
  revealProblem(problem: Problem): void;
}

export const CodeEditor = forwardRef<CodeEditorHandle, CodeEditorProps>(function CodeEditor(props, ref) {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor>(undefined);
  const latest = useRef(props);
  latest.current = props;

  useActionTypes(props.trigger, props.dependencies);

  // biome-ignore lint/correctness/useExhaustiveDependencies: one editor per path; the latest props are read through `latest`.
  useEffect(() => {
    if (!container.current) return;
    const uri = monaco.Uri.parse(props.path);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(props.initialValue, 'javascript', uri);
    if (model.getValue() !== props.initialValue) model.setValue(props.initialValue);
    const editor = monaco.editor.create(container.current, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      tabSize: 2,
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: true,
      readOnly: props.readOnly ?? false,
      ariaLabel: props.label,
    });
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => latest.current.onSave());
    const changes = model.onDidChangeContent(() => latest.current.onChange(model.getValue()));
    let checked = false;
    let disposed = false;
    const report = () =>
      latest.current.onProblems(toProblems(monaco.editor.getModelMarkers({ resource: uri })), checked);
    const markers = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((changed) => changed.toString() === uri.toString())) report();
    });
    report();
    // A clean file changes no markers, so ask the checker once: until it answers, nothing is known.
    void whenChecked(uri).then(() => {
      checked = true;
      if (!disposed) report();
    });
    return () => {
      disposed = true;
      markers.dispose();
      changes.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = undefined;
    };
  }, [props.path]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly: props.readOnly ?? false });
  }, [props.readOnly]);

  useImperativeHandle(ref, () => ({
    revealProblem(problem) {
      const editor = editorRef.current;
      if (!editor) return;
      editor.setPosition({ lineNumber: problem.line, column: problem.column });
      editor.revealLineInCenter(problem.line);
      editor.focus();
    },
  }));

  return <div ref={container} className="code-editor" data-testid="code-editor" />;
});

/** Resolves once the JavaScript worker has type-checked the model (its first diagnostics). */
async function whenChecked(uri: monaco.Uri): Promise<void> {
  try {
    const worker = await (await monaco.typescript.getJavaScriptWorker())(uri);
    await worker.getSemanticDiagnostics(uri.toString());
  } catch {
    // A model disposed before the worker answered: nobody is waiting any more.
  }
}
