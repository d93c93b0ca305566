package corpus

import "strings"

// The words of the synthetic case studies. TopicWords are the rare ones:
// each case study draws Topics of them, so that each is in about
// Topics/len(TopicWords) of the case studies (well under 1%); the
// search phase asks for them. The other lists make the text around them
// and are in many case studies: the benchmark never searches for them.
var TopicWords = strings.Fields(`
abacus abbey acorn acrobat adder admiral adobe aerial agate airship alabaster albatross alcove alder
almond alpaca amber amethyst anchor anemone angler anvil apricot aquarium arbour arcade archer
archive armada armchair arrowhead artichoke asparagus aster atlas attic aubergine auburn aurora avalanche
avocado awning axle azalea badger bagpipe balcony ballad balloon bamboo banjo banner banyan barley
barn barnacle barometer barrel basalt basket bassoon bathtub beacon beaker bearskin beaver beech
beetle belfry bellows beret biscuit bison blackbird blacksmith blanket blizzard blossom bluebell boathouse bobbin
bonfire bonnet bookcase boomerang borage boulder bouquet bracken bramble brass bridle brigade brine
brioche broccoli bronze brook broom bubble buckle buckwheat buffalo bugle bulldozer bumblebee bungalow buoy
burrow buttercup butterfly buzzard cabbage cabin cable cactus caddy cairn calico camel camellia
camomile canal canary candle canoe canopy canteen canvas canyon capstan caramel caravan cardamom cardigan
carnation carousel carp carriage carrot cartwheel cascade cashew casket castle catapult catkin cauldron
cavern cedar cello chalice chalk chamomile chandelier chapel charcoal chariot cheetah chestnut chieftain chime
chimney chisel chive chrysalis cinder cinnamon circus citadel clarinet clematis clipper clover
cobble cobweb coconut cockle codfish comet compass conch condor copper coral cormorant corncrake
cornflower cottage coyote crabapple cradle crane cranberry crayon crescent cricket crocus crossbow crow crumpet
crystal cuckoo cupboard curlew cushion cutlass cygnet cypress daffodil dagger dahlia daisy damson
dandelion dart dewdrop diamond dinghy dipper dolphin donkey dormouse dovecote dragonfly drawbridge driftwood
drum duckling dulcimer dune eagle easel ebony eclipse eiderdown elderberry elk elm ember emerald
falcon fennel ferret ferry fiddle figurine finch firefly fjord flagon flamingo flannel flint flute
foghorn forge fountain foxglove frigate fritter frost fuchsia gable galleon gannet garnet gazebo
gecko geranium geyser ginger giraffe glacier glider goblet goldfinch gondola gooseberry gorse gourd granite
grapevine grasshopper gravel greenhouse griffin grouse guitar gull hammock hamster harbour hare harp
harpsichord harvest hawthorn hazel heather hedgehog heron herring hickory hillock hippo hollyhock honeycomb
hornbeam horseshoe hourglass hummingbird hyacinth iceberg igloo indigo inkwell iris ivory jackdaw jade
jaguar jasmine javelin jellyfish jetty jigsaw jonquil juniper kangaroo kayak kelp kestrel kettle
kingfisher kite kiwi knapsack koala laburnum lagoon lantern larch lark lavender lemon leopard lichen
lighthouse lilac lily limestone linnet lobster locket lodestone loom lotus lupin lute lynx magpie
mahogany mallard mandolin mangrove maple marble marigold marmalade marmot marten meadowsweet medallion melon
mermaid mimosa minnow mistletoe moat mole monsoon moorhen moose mosaic moth mulberry musket mussel
myrtle narwhal nectarine nettle nightingale nutmeg oak oar oasis obelisk ocelot octopus olive
onyx opal orca orchard orchid oriole osprey ostrich otter owl oyster paddock pagoda palette
pansy panther papaya parasol parchment parrot parsley parsnip partridge pasture peacock peapod pebble pelican
pennant peony pepper periwinkle petrel pheasant piano pickaxe pier pigeon pilgrim pimpernel pinecone pinwheel
pipit pistachio plover plum pollock pomegranate poplar poppy porcupine porpoise porridge primrose puffin
pumpkin quail quarry quartz quill quince rabbit raccoon radish raft rainbow rampart raspberry raven
reed reindeer rhubarb ribbon robin rosehip rosemary rowan ruby rudder saffron sage sailcloth salmon
sandpiper sapphire satchel scarecrow schooner scone seahorse seashell sequoia shamrock shingle shipwright shovel
shrew sickle silkworm skylark sledge sloe snowdrop sorrel sparrow spindle spinnaker squirrel starling
stingray stork strawberry sunflower swallow swan sycamore tadpole tambourine tangerine tapestry teapot
teasel terrier thimble thistle thrush thyme tiger timpani toadstool toboggan topaz tortoise toucan
treacle trellis trombone trout trumpet tulip turnip turquoise turtle twig umbrella unicorn urchin
valley vanilla velvet verbena viaduct vineyard viola violet vole vulture wagtail walnut walrus
warbler waterfall weasel weathervane wheelbarrow whippet whistle wicker willow windmill wisteria woodpecker wren
xylophone yacht yarrow yew zebra zinnia zither accordion acacia aniseed antelope apiary aqueduct
armadillo azure banister bittern blackcurrant bluebird bobcat bramling brazier buttermilk cabaret calliope carillon
causeway chaffinch chinchilla chipmunk clockwork cloudberry cockatoo coppice corbel cornet cowslip cranesbill
damselfly dogwood dunnock egret elderflower falconry fieldfare figwort firethorn flax fulmar galingale gingham
goldcrest goshawk grebe greenfinch guillemot gyrfalcon hawfinch hellebore hemlock hobby hoopoe hornet huckleberry
ibis jacaranda kittiwake knapweed lacewing ladybird lapwing leveret liverwort lodgepole loganberry mandrake
marjoram merlin mistle moorland muntjac nasturtium nightjar nuthatch oxlip peregrine pipistrelle pochard
ptarmigan quaver ragwort redshank redstart redwing rook ruff samphire sanderling sandstone scabious shelduck
siskin smew snipe spearmint speedwell spoonbill stonechat sundew swift tansy teal tern tormentil
treecreeper turnstone twite verbascum vetch waxwing wheatear whimbrel whinchat widgeon woodcock woodruff wryneck
`)

// placeStarts and placeEnds make the towns of the organisations.
var (
	placeStarts = strings.Fields(`Ash Bram Bur Cal Cher Col Dal Dun Eld Fal Fen Glen Gold Har Hel Holm
Ing Kel Kirk Lang Lin Marl Mel Mid Nor Oak Pen Ral Red Ros Sal Shel Stan Stow Sut Thorn Tod Wal Wen Whit Win Wyn`)
	placeEnds = strings.Fields(`borough bridge bury by caster combe dale den field ford gate ham holme ley minster mouth stead stoke ton wick`)
)

// orgKinds are the organisation types (pollen:organisationType) with the
// words of their names and their ownership models.
var orgKinds = []struct {
	kind      string
	names     []string
	ownership []string
}{
	{"council", []string{"Borough Council", "City Council", "District Council", "County Council"}, []string{"public sector", "public sector", "joint venture"}},
	{"public service mutual", []string{"Community Mutual", "Care Mutual", "Services Mutual", "Leisure Trust"}, []string{"employee-owned", "co-operative", "employee and community owned"}},
	{"social enterprise", []string{"Social Enterprise", "Community Interest Company", "Partnership"}, []string{"community interest company", "co-operative", "community benefit society"}},
	{"charity", []string{"Trust", "Foundation", "Community Trust"}, []string{"charitable trust", "charitable incorporated organisation"}},
	{"other", []string{"Network", "Alliance"}, []string{"other", "joint venture"}},
}

// The text around the topic words.
var (
	titleForms = []string{
		"%s and %s in %s", "How %s changed %s in %s", "%s: a %s pilot in %s",
		"Bringing %s to %s across %s", "The %s project: %s for %s",
	}
	summaryVerbs  = []string{"redesigned", "moved", "rebuilt", "opened up", "handed to its staff", "took back", "shared"}
	bodySentences = []string{
		"The team started with a small pilot and listened to the people who use the service every week.",
		"Frontline workers set the priorities, and managers cleared the way for them.",
		"We measured demand for six months before changing anything.",
		"Volunteers helped at first; paid roles followed once the model was proven.",
		"Budgets were pooled with neighbouring authorities to share the risk.",
		"Residents sat on the board from the first day and kept us honest.",
		"The contract was rewritten around outcomes rather than activity.",
		"Early mistakes were shared openly, which built trust with partners.",
		"A shared digital record cut repeated assessments and paperwork.",
		"Training was delivered on site, in short sessions that fitted around shifts.",
	}
	outcomeForms = []string{
		"%d%% fewer repeat visits", "%d more people reached each month", "waiting times down by %d%%",
		"%d new jobs in the area", "satisfaction up %d points", "%d%% less spent on agency staff",
	}
	lessonForms = []string{
		"Involve %s people early", "Agree what success means for %s before you start",
		"Budget for %s from the outset", "Keep the %s group small", "Publish what went wrong with %s",
	}
	savingsCurrencies = []string{"GBP", "GBP", "GBP", "GBP", "GBP", "GBP", "GBP", "EUR", "EUR", "USD"}
	savingsPeriods    = []string{"year", "year", "year", "year", "one-off", "one-off", "month", "month", "quarter"}
)
