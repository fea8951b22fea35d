; Inno Setup 6 script: a Windows installer for the Treatment Returns bundle (packaging/README.md).
;
; Build the bundle on Windows first (packaging\dist\treatment-returns), then from the repository root:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\installer\treatment_returns.iss
; Output: packaging\dist\installer\TreatmentReturns-<version>-setup.exe
;
; Installs for the current user without administrator rights (council laptops are locked down):
; into %LOCALAPPDATA%\Programs\Treatment Returns, with a Start menu entry. An administrator may
; choose "install for all users" instead. The user's workspaces and settings are never removed.
; To check an installed copy: "%LOCALAPPDATA%\Programs\Treatment Returns\treatment-returns.exe" --selftest
; NOT BUILT OR TESTED on the project's (Linux) machine: Inno Setup runs on Windows only.

; The version: /DAppVersion=..., else the one the bundle build wrote (app.__version__).
#define VersionFile AddBackslash(SourcePath) + "..\dist\version.iss"
#ifndef AppVersion
  #if FileExists(VersionFile)
    #include VersionFile
  #endif
#endif
#ifndef AppVersion
  #error Build the bundle first (it writes packaging\dist\version.iss) or pass /DAppVersion=X.Y.Z
#endif
#define AppName "Treatment Returns"
#define BundleDir "..\dist\treatment-returns"
#define GuiExe "TreatmentReturns.exe"

[Setup]
AppId={{4B141070-59BD-46C2-9234-5F59A9D09C15}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist\installer
OutputBaseFilename=TreatmentReturns-{#AppVersion}-setup
SetupIconFile=..\icons\treatment_returns.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; a new version replaces the old bundle's libraries completely (no stale modules left behind)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

