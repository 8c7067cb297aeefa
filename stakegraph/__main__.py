from stakegraph.cli import main

main()
