@echo off
rem Runs the Lopper CLI on Windows, building it first when the jar is missing or older than the
rem sources; what ./lopper does elsewhere (jemalloc and huge pages are Linux matters: not here).
setlocal
set "LOPPER_HOME=%~dp0"
set "LOPPER_HOME=%LOPPER_HOME:~0,-1%"
set "LOPPER_JAR=%LOPPER_HOME%\target\lopper.jar"
if not exist "%LOPPER_JAR%" goto build
rem a file of src\main or pom.xml newer than the jar means the jar is stale
powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command ^
  "$jar = (Get-Item -LiteralPath $env:LOPPER_JAR).LastWriteTimeUtc;" ^
  "$newer = Get-ChildItem -LiteralPath (Join-Path $env:LOPPER_HOME 'src\main'), (Join-Path $env:LOPPER_HOME 'pom.xml') -Recurse -File | Where-Object { $_.LastWriteTimeUtc -gt $jar } | Select-Object -First 1;" ^
  "if ($newer) { exit 1 } else { exit 0 }"
if errorlevel 1 goto build
goto run

:build
echo building lopper (first run takes a minute)... 1>&2
pushd "%LOPPER_HOME%"
call "%LOPPER_HOME%\mvnw.cmd" -q -B -DskipTests package 1>&2
set "LOPPER_BUILD=%ERRORLEVEL%"
popd
if not "%LOPPER_BUILD%"=="0" exit /b %LOPPER_BUILD%

:run
java %LOPPER_JAVA_OPTS% -Dai.djl.offline=true -cp "%LOPPER_JAR%;%LOPPER_HOME%\target\lib\*" dev.lopper.cli.Main %*
exit /b %ERRORLEVEL%
