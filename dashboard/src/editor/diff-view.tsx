/** A read-only side-by-side diff of two versions' code. */
import { useEffect, useRef } from 'react';
import { monaco } from './monaco.ts';

export interface DiffViewProps {
  original: string;
  modified: string;
  label: string;
}

export function DiffView({ original, modified, label }: DiffViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneDiffEditor>(undefined);

  useEffect(() => {
    if (!container.current) return;
    const editor = monaco.editor.createDiffEditor(container.current, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      minimap: { enabled: false },
      renderSideBySide: window.innerWidth > 900,
      scrollBeyondLastLine: false,
      fontSize: 13,
      ariaLabel: label,
    });
    editorRef.current = editor;
    return () => {
      const models = editor.getModel();
      editor.dispose();
      models?.original.dispose();
      models?.modified.dispose();
    };
  }, [label]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const previous = editor.getModel();
    editor.setModel({
      original: monaco.editor.createModel(original, 'javascript'),
      modified: monaco.editor.createModel(modified, 'javascript'),
    });
    previous?.original.dispose();
    previous?.modified.dispose();
  }, [original, modified]);

  return <div ref={container} className="diff-view" data-testid="diff-view" />;
}
