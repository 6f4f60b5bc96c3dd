Unicode true

# Shomei's Windows installer. `scripts/build.sh windows` runs `wails build
# -platform windows/amd64 -nsis`, which writes wails_tools.nsh beside this
# file (its macros: architecture check, WebView2 bootstrapper, files,
# uninstaller registry keys) and the WebView2 bootstrapper into tmp/, then
# calls Debian's makensis here. The version and the console build come from
# the environment scripts/build.sh sets (SHOMEI_VERSION, SHOMEI_WINVERSION,
# SHOMEI_CLI_EXE).

!define INFO_PROJECTNAME    "Shomei"
!define INFO_PRODUCTNAME    "Shomei"
!define INFO_COMPANYNAME    "Shomei"
!define INFO_PRODUCTVERSION "$%SHOMEI_VERSION%"
!define PRODUCT_EXECUTABLE  "Shomei.exe"
!define CLI_EXECUTABLE      "shomei-cli.exe"
!define UNINST_KEY_NAME     "Shomei"
!define WAILS_INSTALL_WEBVIEW_DETAILPRINT "WebView2 Runtime"

!include "wails_tools.nsh"

VIProductVersion "$%SHOMEI_WINVERSION%"
VIFileVersion    "$%SHOMEI_WINVERSION%"
VIAddVersionKey /LANG=0 "ProductName"     "Shomei"
VIAddVersionKey /LANG=0 "FileDescription" "Shomei installer"
VIAddVersionKey /LANG=0 "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey /LANG=0 "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright"  "Shomei developers"

ManifestDPIAware true

!include "MUI2.nsh"
!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

# Japanese first: Windows shows the installer in the user's language when it
# is one of these, else in the first.
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"

LangString SHORTCUT_DESC ${LANG_JAPANESE} "マイナンバーカードで署名・検証"
LangString SHORTCUT_DESC ${LANG_ENGLISH} "Sign and verify with the My Number Card"

Name "Shomei 署名"
OutFile "..\..\bin\shomei-$%SHOMEI_VERSION%-windows-amd64-setup.exe"
InstallDir "$PROGRAMFILES64\Shomei"
InstallDirRegKey HKLM "Software\Shomei" "InstallDir"
ShowInstDetails show
ShowUninstDetails show

Function .onInit
    !insertmacro wails.checkArchitecture
    SetRegView 64
FunctionEnd

Section
    !insertmacro wails.setShellContext
    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR
    !insertmacro wails.files
    # The command line: the same program built for the console, so its
    # output and prompts reach the terminal (the desktop build has none).
    File "/oname=${CLI_EXECUTABLE}" "$%SHOMEI_CLI_EXE%"
    WriteRegStr HKLM "Software\Shomei" "InstallDir" "$INSTDIR"

    # The Start menu entry.
    CreateShortcut "$SMPROGRAMS\Shomei 署名.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "" "$INSTDIR\${PRODUCT_EXECUTABLE}" 0 SW_SHOWNORMAL "" "$(SHORTCUT_DESC)"

    !insertmacro wails.writeUninstaller
SectionEnd

# The uninstaller removes the program and its Start menu entry. The user's
# own files (history, trust anchors, settings in %LocalAppData%\Shomei) stay.
Section "uninstall"
    !insertmacro wails.setShellContext
    Delete "$SMPROGRAMS\Shomei 署名.lnk"
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\${CLI_EXECUTABLE}"
    !insertmacro wails.deleteUninstaller
    DeleteRegKey HKLM "Software\Shomei"
    RMDir $INSTDIR
SectionEnd
