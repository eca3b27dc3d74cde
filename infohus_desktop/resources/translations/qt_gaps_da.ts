<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- The few texts of Qt's own file dialog that qtbase_da has only in an older form (without
     the shortcut mark Qt now asks for), so that "Look in:", "Files of type:" and the type
     Folder stood in English beside "Filnavn:"; and a message's details button, in the
     window's own ellipsis style (" …", as "Skift boks …") instead of qtbase_da's three dots.
     Compiled to qt_gaps_da.qm with `pyside6-lrelease qt_gaps_da.ts`;
     tests/ui/test_qt_words.py checks the two agree. -->
<TS version="2.1" language="da_DK">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Kig i:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Filer af &amp;type:</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Vis detaljer …</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Skjul detaljer …</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>Mappe</translation>
    </message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message>
        <source>Folder</source>
        <translation>Mappe</translation>
    </message>
</context>
</TS>
