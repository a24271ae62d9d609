from hrcore.cli import main

main()
